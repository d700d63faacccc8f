import type { ApplicationStatus } from '../applications/application.entity.js';
import { FINAL } from '../applications/application.state-machine.js';

/**
 * How long personal data is kept (SPEC: export or erase its data; the retention settings of
 * config/README.md). Pure: the instants before which something counts as old enough.
 */

/** An application is over in these statuses (the lifecycle's final ones): nothing more will happen to it. */
export const ENDED: readonly ApplicationStatus[] = FINAL;

/** Applications whose documents go after DOCUMENT_RETENTION_DAYS: the student did not go (the statistics never needed the files). */
export const DOCUMENTS_EXPIRE: readonly ApplicationStatus[] = ['rejected', 'withdrawn'];

/** While an application is in these statuses the person is on (or about to start) a mobility: no erasure (SPEC section 4: accepted … arrived). */
export const MOBILITY_IN_PROGRESS: readonly ApplicationStatus[] = ['accepted', 'confirmed', 'arrived'];

/** An open application that erasure withdraws on the person's behalf (nothing is held for them yet). */
export const WITHDRAWN_ON_ERASURE: readonly ApplicationStatus[] = ['draft', 'submitted', 'nominated', 'waitlisted'];

/** `now` minus whole calendar years (29 February goes to 28 February in a year without one). */
export function yearsBefore(now: Date, years: number): Date {
  const then = new Date(now.getTime());
  then.setUTCFullYear(now.getUTCFullYear() - years);
  // setUTCFullYear rolls 29 February over to 1 March: take the last day of February instead.
  if (then.getUTCMonth() !== now.getUTCMonth()) then.setUTCDate(0);
  return then;
}

/** `now` minus whole days of 24 hours. */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

export interface RetentionCutoffs {
  /** students whose last trace is older are anonymised; families unused since are stripped of their contact data */
  people: Date;
  /** documents of rejected or withdrawn applications that ended before are deleted */
  documents: Date;
}

export function retentionCutoffs(now: Date, settings: { years: number; documentDays: number }): RetentionCutoffs {
  return { people: yearsBefore(now, settings.years), documents: daysBefore(now, settings.documentDays) };
}
