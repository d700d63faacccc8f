import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import { TransitionHooks } from '../common/lifecycle/transition-hooks.js';
import type { Program } from '../programs/program.entity.js';
import type { Application } from './application.entity.js';
import { TRANSITION_NAMES, type Transition, type TransitionName } from './application.state-machine.js';

/** What a precondition of an application transition is given: the application and its programme, both locked as the transition needs. */
export interface ApplicationTransitionContext {
  caller: Caller;
  name: TransitionName;
  transition: Transition;
  /** as it stands before the change, under its row lock */
  application: Application;
  program: Program;
  /** what the transition will write besides the status (e.g. check-in's `arrivedAt`) */
  changes: Partial<Application>;
  comment: string | null;
  reason: string | null;
}

/** What a handler is given once the status has changed (same transaction). */
export interface ApplicationTransitionDone extends ApplicationTransitionContext {
  updated: Application;
}

/**
 * The application lifecycle's hook point. Documents registers "submit needs the required
 * documents", learning agreements "confirm needs an approved agreement"; placements,
 * arrivals, notifications and the audit log add their handlers here.
 */
@Injectable()
export class ApplicationHooks extends TransitionHooks<TransitionName, ApplicationTransitionContext, ApplicationTransitionDone> {
  constructor() {
    super('application', TRANSITION_NAMES);
  }
}
