import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import { TransitionHooks } from '../common/lifecycle/transition-hooks.js';
import type { Agreement } from './agreement.entity.js';
import { AGREEMENT_TRANSITIONS } from './agreement.state-machine.js';

/** The agreement changes other domains take part in: its transitions, an edit (a new version), and its proposal (creation). */
export const AGREEMENT_CHANGES = [...AGREEMENT_TRANSITIONS, 'edit', 'propose'] as const;
export type AgreementChange = (typeof AGREEMENT_CHANGES)[number];

export interface AgreementChangeContext {
  caller: Caller;
  name: AgreementChange;
  /** as it stands before the change, under its row lock, with partners, quotas and approvals (a proposal: as created) */
  agreement: Agreement;
}

export interface AgreementChangeDone extends AgreementChangeContext {
  /** as it stands after the change */
  updated: Agreement;
}

/** The agreement's hook point (notifications and the audit log register their handlers here). */
@Injectable()
export class AgreementHooks extends TransitionHooks<AgreementChange, AgreementChangeContext, AgreementChangeDone> {
  constructor() {
    super('agreement', AGREEMENT_CHANGES);
  }
}
