import { Lifecycle, type TransitionRow } from '../common/lifecycle/lifecycle.js';
import type { ApplicationStatus } from './application.entity.js';

/**
 * The application lifecycle (SPEC section 4): the only way an application's status
 * changes. Pure: who the caller is relative to the application is worked out by
 * application.rules.ts and passed in as `parties`.
 */
export const TRANSITION_NAMES = ['submit', 'nominate', 'reject', 'accept', 'waitlist', 'confirm', 'decline', 'withdraw', 'cancel', 'check-in', 'complete'] as const;
export type TransitionName = (typeof TRANSITION_NAMES)[number];

/** How the caller stands to the application. Admins are every coordinator party at once. */
export type Party = 'student' | 'sending' | 'receiving' | 'host_school';

export type Transition = TransitionRow<ApplicationStatus, TransitionName, Party>;

/** Statuses in which the application holds one of the programme's seats. */
export const SEAT_HOLDING: readonly ApplicationStatus[] = ['accepted', 'confirmed', 'arrived', 'completed'];

/** Statuses from which nothing moves: they no longer count as open applications. */
export const FINAL: readonly ApplicationStatus[] = ['completed', 'rejected', 'declined', 'withdrawn', 'cancelled'];

export const TRANSITIONS: readonly Transition[] = [
  { name: 'submit', from: ['draft'], to: 'submitted', by: ['student'] },
  { name: 'nominate', from: ['submitted'], to: 'nominated', by: ['sending'] },
  { name: 'reject', from: ['submitted'], to: 'rejected', by: ['sending'], needsReason: true },
  { name: 'accept', from: ['nominated', 'waitlisted'], to: 'accepted', by: ['receiving'] },
  { name: 'waitlist', from: ['nominated'], to: 'waitlisted', by: ['receiving'] },
  { name: 'reject', from: ['nominated', 'waitlisted'], to: 'rejected', by: ['receiving'], needsReason: true },
  { name: 'confirm', from: ['accepted'], to: 'confirmed', by: ['student'] },
  { name: 'decline', from: ['accepted'], to: 'declined', by: ['student'] },
  { name: 'withdraw', from: ['draft', 'submitted', 'nominated', 'waitlisted', 'accepted', 'confirmed'], to: 'withdrawn', by: ['student'] },
  { name: 'cancel', from: ['submitted', 'nominated', 'waitlisted', 'accepted', 'confirmed', 'arrived'], to: 'cancelled', by: ['sending', 'receiving'], needsReason: true },
  { name: 'check-in', from: ['confirmed'], to: 'arrived', by: ['receiving', 'host_school'] },
  { name: 'complete', from: ['arrived'], to: 'completed', by: ['receiving'] },
];

export const applicationLifecycle = new Lifecycle<ApplicationStatus, TransitionName, Party>('application', TRANSITION_NAMES, TRANSITIONS);

export type Decision =
  | { ok: true; transition: Transition; takesSeat: boolean; freesSeat: boolean }
  | { ok: false; error: 'invalid_transition' | 'forbidden' };

/**
 * What happens when `parties` ask for `name` on an application in `status`: `forbidden`
 * when no row of that name is theirs (whatever the status), `invalid_transition` when
 * theirs exist but none leaves this status; otherwise the row, and whether it takes or
 * frees a seat.
 */
export function decide(status: ApplicationStatus, name: TransitionName, parties: readonly Party[]): Decision {
  const decision = applicationLifecycle.decide(status, name, parties);
  if (!decision.ok) return decision;
  const held = SEAT_HOLDING.includes(status);
  const holds = SEAT_HOLDING.includes(decision.transition.to);
  return { ok: true, transition: decision.transition, takesSeat: !held && holds, freesSeat: held && !holds };
}

/** Transitions this caller could take now (shown to clients as `allowedTransitions`). */
export function allowedTransitions(status: ApplicationStatus, parties: readonly Party[]): TransitionName[] {
  return applicationLifecycle.allowed(status, parties);
}

/**
 * How a transition locks the programme, decided by its name alone so that the programme is
 * locked before the application (the lock order, src/common/transactions/row-locks.ts):
 * accepting takes a seat (write); submitting must not race a cancellation (share).
 */
export function programLockOf(name: TransitionName): 'write' | 'share' | null {
  return name === 'accept' ? 'write' : name === 'submit' ? 'share' : null;
}
