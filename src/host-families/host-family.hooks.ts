import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import { TransitionHooks } from '../common/lifecycle/transition-hooks.js';
import type { HostFamily } from './host-family.entity.js';
import { HOST_FAMILY_TRANSITIONS } from './host-family.state-machine.js';

/** The changes of a family other domains take part in: its vetting decisions, its suspension, an edit of its record. */
export const HOST_FAMILY_CHANGES = [...HOST_FAMILY_TRANSITIONS, 'edit'] as const;
export type HostFamilyChange = (typeof HOST_FAMILY_CHANGES)[number];

export interface HostFamilyChangeContext {
  caller: Caller;
  name: HostFamilyChange;
  /** as it stands before the change, under its row lock */
  family: HostFamily;
  /** the fields the change sets */
  changes: Partial<HostFamily>;
}

export interface HostFamilyChangeDone extends HostFamilyChangeContext {
  updated: HostFamily;
}

/**
 * The host family's hook point. Placements registers "never fewer beds, nor a shorter
 * availability, than its live placements take"; notifications and the audit log add their
 * handlers here.
 */
@Injectable()
export class HostFamilyHooks extends TransitionHooks<HostFamilyChange, HostFamilyChangeContext, HostFamilyChangeDone> {
  constructor() {
    super('host_family', HOST_FAMILY_CHANGES);
  }
}
