import { Lifecycle, type TransitionRow } from '../common/lifecycle/lifecycle.js';
import type { ProgramStatus } from './program.entity.js';

/** The programme lifecycle (SPEC section 3): draft → published → closed, or cancelled. Same shape as the application's. */
export const PROGRAM_TRANSITIONS = ['publish', 'close', 'cancel'] as const;
export type ProgramTransitionName = (typeof PROGRAM_TRANSITIONS)[number];

/** The coordinators' sides of a programme (admins are both). */
export type ProgramParty = 'sending' | 'receiving';

export type ProgramTransition = TransitionRow<ProgramStatus, ProgramTransitionName, ProgramParty>;

const EITHER_SIDE: readonly ProgramParty[] = ['sending', 'receiving'];

export const programLifecycle = new Lifecycle<ProgramStatus, ProgramTransitionName, ProgramParty>('program', PROGRAM_TRANSITIONS, [
  { name: 'publish', from: ['draft'], to: 'published', by: EITHER_SIDE },
  { name: 'close', from: ['published'], to: 'closed', by: EITHER_SIDE },
  { name: 'cancel', from: ['draft', 'published'], to: 'cancelled', by: EITHER_SIDE },
]);
