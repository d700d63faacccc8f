import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import { TransitionHooks } from '../common/lifecycle/transition-hooks.js';
import type { Program } from './program.entity.js';
import { PROGRAM_TRANSITIONS } from './program.state-machine.js';

/** The programme changes other domains take part in: its transitions, and an edit of its terms. */
export const PROGRAM_CHANGES = [...PROGRAM_TRANSITIONS, 'edit'] as const;
export type ProgramChange = (typeof PROGRAM_CHANGES)[number];

export interface ProgramChangeContext {
  caller: Caller;
  name: ProgramChange;
  /** as it stands before the change, under its row lock (and its agreement's) */
  program: Program;
  /** the fields an edit sets (empty for a transition) */
  changes: Partial<Program>;
}

export interface ProgramChangeDone extends ProgramChangeContext {
  /** as it stands after the change */
  updated: Program;
}

/**
 * The programme's hook point. Applications registers "a programme with applications under
 * way is not cancelled" and "a programme never has fewer seats than are held", so that
 * programmes know nothing of applications.
 */
@Injectable()
export class ProgramHooks extends TransitionHooks<ProgramChange, ProgramChangeContext, ProgramChangeDone> {
  constructor() {
    super('program', PROGRAM_CHANGES);
  }
}
