import type { ApplicationStatus } from './application.entity.js';

/**
 * The application lifecycle (SPEC section 4): the only way an application's status
 * changes. Pure: who the caller is relative to the application is worked out by the
 * service (application.rules.ts) and passed in as `parties`.
 */
export const TRANSITION_NAMES = ['submit', 'nominate', 'reject', 'accept', 'waitlist', 'confirm', 'decline', 'withdraw', 'cancel', 'check-in', 'complete'] as const;
export type TransitionName = (typeof TRANSITION_NAMES)[number];

/** How the caller stands to the application. Admins are every coordinator party at once. */
export type Party = 'student' | 'sending' | 'receiving' | 'host_school';

export interface Transition {
  name: TransitionName;
  from: readonly ApplicationStatus[];
  to: ApplicationStatus;
  by: readonly Party[];
  needsReason?: boolean;
}

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

export type Decision =
  | { ok: true; transition: Transition; takesSeat: boolean; freesSeat: boolean }
  | { ok: false; error: 'invalid_transition' | 'forbidden' };

/**
 * What happens when `parties` ask for `name` on an application in `status`:
 * `invalid_transition` when no row of the table leaves this status by that name,
 * `forbidden` when rows exist but none is the caller's.
 */
export function decide(status: ApplicationStatus, name: TransitionName, parties: readonly Party[]): Decision {
  const rows = TRANSITIONS.filter((t) => t.name === name && t.from.includes(status));
  if (!rows.length) return { ok: false, error: 'invalid_transition' };
  const transition = rows.find((t) => t.by.some((party) => parties.includes(party)));
  if (!transition) return { ok: false, error: 'forbidden' };
  const held = SEAT_HOLDING.includes(status);
  const holds = SEAT_HOLDING.includes(transition.to);
  return { ok: true, transition, takesSeat: !held && holds, freesSeat: held && !holds };
}

/** Transitions this caller could take now (shown to clients as `allowedTransitions`). */
export function allowedTransitions(status: ApplicationStatus, parties: readonly Party[]): TransitionName[] {
  return [...new Set(TRANSITIONS.filter((t) => t.from.includes(status) && t.by.some((p) => parties.includes(p))).map((t) => t.name))];
}
