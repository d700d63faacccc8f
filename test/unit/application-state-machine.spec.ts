/**
 * The application lifecycle table (SPEC section 4), row by row: the table itself against
 * the specification, then `decide` for every transition name × status × party, the seats
 * taken and freed, and `allowedTransitions`.
 */
import { APPLICATION_STATUSES, type ApplicationStatus } from '../../src/applications/application.entity.js';
import {
  FINAL,
  SEAT_HOLDING,
  TRANSITION_NAMES,
  TRANSITIONS,
  allowedTransitions,
  decide,
  type Party,
  type TransitionName,
} from '../../src/applications/application.state-machine.js';

const PARTIES: Party[] = ['student', 'sending', 'receiving', 'host_school'];

/** SPEC section 4, written out independently of the implementation. */
const SPEC: { name: TransitionName; from: ApplicationStatus[]; to: ApplicationStatus; by: Party[]; needsReason: boolean }[] = [
  { name: 'submit', from: ['draft'], to: 'submitted', by: ['student'], needsReason: false },
  { name: 'nominate', from: ['submitted'], to: 'nominated', by: ['sending'], needsReason: false },
  { name: 'reject', from: ['submitted'], to: 'rejected', by: ['sending'], needsReason: true },
  { name: 'accept', from: ['nominated', 'waitlisted'], to: 'accepted', by: ['receiving'], needsReason: false },
  { name: 'waitlist', from: ['nominated'], to: 'waitlisted', by: ['receiving'], needsReason: false },
  { name: 'reject', from: ['nominated', 'waitlisted'], to: 'rejected', by: ['receiving'], needsReason: true },
  { name: 'confirm', from: ['accepted'], to: 'confirmed', by: ['student'], needsReason: false },
  { name: 'decline', from: ['accepted'], to: 'declined', by: ['student'], needsReason: false },
  { name: 'withdraw', from: ['draft', 'submitted', 'nominated', 'waitlisted', 'accepted', 'confirmed'], to: 'withdrawn', by: ['student'], needsReason: false },
  { name: 'cancel', from: ['submitted', 'nominated', 'waitlisted', 'accepted', 'confirmed', 'arrived'], to: 'cancelled', by: ['sending', 'receiving'], needsReason: true },
  { name: 'check-in', from: ['confirmed'], to: 'arrived', by: ['receiving', 'host_school'], needsReason: false },
  { name: 'complete', from: ['arrived'], to: 'completed', by: ['receiving'], needsReason: false },
];

const HOLDS = ['accepted', 'confirmed', 'arrived', 'completed'];

describe('application state machine', () => {
  it('the table is SPEC section 4, row for row', () => {
    expect(TRANSITIONS.map((t) => ({ name: t.name, from: [...t.from].sort(), to: t.to, by: [...t.by].sort(), needsReason: t.needsReason === true }))).toEqual(
      SPEC.map((t) => ({ ...t, from: [...t.from].sort(), by: [...t.by].sort() })),
    );
    expect([...TRANSITION_NAMES].sort()).toEqual([...new Set(SPEC.map((t) => t.name))].sort());
    expect([...SEAT_HOLDING].sort()).toEqual([...HOLDS].sort());
    expect([...FINAL].sort()).toEqual(['cancelled', 'completed', 'declined', 'rejected', 'withdrawn']);
  });

  describe.each(SPEC.map((row) => [`${row.name} ${row.from.join('|')} → ${row.to} by ${row.by.join(', ')}`, row] as const))('%s', (_title, row) => {
    it.each(row.from)('from %s: accepted for its parties, forbidden for the others', (from) => {
      for (const party of row.by) {
        const decision = decide(from, row.name, [party]);
        expect(decision).toEqual({
          ok: true,
          transition: expect.objectContaining({ name: row.name, to: row.to }),
          takesSeat: !HOLDS.includes(from) && HOLDS.includes(row.to),
          freesSeat: HOLDS.includes(from) && !HOLDS.includes(row.to),
        });
        if (decision.ok) expect(decision.transition.needsReason === true).toBe(row.needsReason);
      }
      // Another row of the same name may leave this status for another party (reject).
      const otherRows = SPEC.filter((r) => r !== row && r.name === row.name && r.from.includes(from));
      for (const party of PARTIES.filter((p) => !row.by.includes(p) && !otherRows.some((r) => r.by.includes(p)))) {
        expect({ party, decision: decide(from, row.name, [party]) }).toEqual({ party, decision: { ok: false, error: 'forbidden' } });
      }
      expect(decide(from, row.name, [])).toEqual({ ok: false, error: 'forbidden' });
    });

    const notListed = APPLICATION_STATUSES.filter((s) => !SPEC.some((r) => r.name === row.name && r.from.includes(s)));
    it.each(notListed)(`${row.name} from %s is an invalid transition for every party`, (status) => {
      for (const parties of [...PARTIES.map((p) => [p]), PARTIES, []]) {
        expect({ parties, decision: decide(status, row.name, parties) }).toEqual({ parties, decision: { ok: false, error: 'invalid_transition' } });
      }
    });
  });

  it('reject goes to the row of the caller: the sending side from submitted, the receiving side from nominated and waitlisted', () => {
    expect(decide('submitted', 'reject', ['receiving'])).toEqual({ ok: false, error: 'forbidden' });
    expect(decide('nominated', 'reject', ['sending'])).toEqual({ ok: false, error: 'forbidden' });
    expect(decide('waitlisted', 'reject', ['sending'])).toEqual({ ok: false, error: 'forbidden' });
    // An admin (both sides) gets the row that leaves the status.
    const admin: Party[] = ['sending', 'receiving'];
    expect(decide('submitted', 'reject', admin)).toMatchObject({ ok: true, transition: { from: ['submitted'], by: ['sending'] } });
    expect(decide('waitlisted', 'reject', admin)).toMatchObject({ ok: true, transition: { from: ['nominated', 'waitlisted'], by: ['receiving'] } });
  });

  it('seats: taken by accept only, freed by decline, withdraw and cancel from a seat-holding status, never by anything else', () => {
    const taking: string[] = [];
    const freeing: string[] = [];
    for (const name of TRANSITION_NAMES) {
      for (const status of APPLICATION_STATUSES) {
        const decision = decide(status, name, PARTIES);
        if (!decision.ok) continue;
        expect(decision.takesSeat && decision.freesSeat).toBe(false);
        if (decision.takesSeat) taking.push(`${name}:${status}`);
        if (decision.freesSeat) freeing.push(`${name}:${status}`);
      }
    }
    expect(taking.sort()).toEqual(['accept:nominated', 'accept:waitlisted']);
    expect(freeing.sort()).toEqual(['cancel:accepted', 'cancel:arrived', 'cancel:confirmed', 'decline:accepted', 'withdraw:accepted', 'withdraw:confirmed'].sort());
    // Moves between seat-holding statuses keep the seat.
    for (const [status, name] of [['accepted', 'confirm'], ['confirmed', 'check-in'], ['arrived', 'complete']] as const) {
      expect(decide(status, name, PARTIES)).toMatchObject({ ok: true, takesSeat: false, freesSeat: false });
    }
    // Moves that never held a seat free none.
    for (const [status, name] of [['draft', 'withdraw'], ['submitted', 'withdraw'], ['nominated', 'cancel'], ['waitlisted', 'withdraw'], ['nominated', 'reject']] as const) {
      expect(decide(status, name, PARTIES)).toMatchObject({ ok: true, takesSeat: false, freesSeat: false });
    }
  });

  it('final statuses have no way out', () => {
    for (const status of FINAL) {
      expect(allowedTransitions(status, PARTIES)).toEqual([]);
      for (const name of TRANSITION_NAMES) expect(decide(status, name, PARTIES)).toEqual({ ok: false, error: 'invalid_transition' });
    }
  });

  describe('allowedTransitions', () => {
    it.each([
      ['draft', ['student'], ['submit', 'withdraw']],
      ['draft', ['sending', 'receiving'], []],
      ['submitted', ['student'], ['withdraw']],
      ['submitted', ['sending'], ['nominate', 'reject', 'cancel']],
      ['submitted', ['receiving'], ['cancel']],
      ['nominated', ['sending'], ['cancel']],
      ['nominated', ['receiving'], ['accept', 'waitlist', 'reject', 'cancel']],
      ['nominated', ['sending', 'receiving'], ['accept', 'waitlist', 'reject', 'cancel']],
      ['waitlisted', ['receiving'], ['accept', 'reject', 'cancel']],
      ['accepted', ['student'], ['confirm', 'decline', 'withdraw']],
      ['accepted', ['host_school'], []],
      ['confirmed', ['student'], ['withdraw']],
      ['confirmed', ['host_school'], ['check-in']],
      ['confirmed', ['receiving'], ['cancel', 'check-in']],
      ['arrived', ['receiving'], ['cancel', 'complete']],
      ['arrived', ['sending'], ['cancel']],
      ['arrived', ['student'], []],
      ['completed', ['student', 'sending', 'receiving', 'host_school'], []],
      ['submitted', [], []],
    ] as [ApplicationStatus, Party[], TransitionName[]][])('%s as %j: %j', (status, parties, expected) => {
      expect([...allowedTransitions(status, parties)].sort()).toEqual([...expected].sort());
    });

    it('lists exactly the names that decide accepts, each once', () => {
      const partySets: Party[][] = [...PARTIES.map((p) => [p]), ['sending', 'receiving'], PARTIES, []];
      for (const status of APPLICATION_STATUSES) {
        for (const parties of partySets) {
          const allowed = allowedTransitions(status, parties);
          expect(new Set(allowed).size).toBe(allowed.length);
          const accepted = TRANSITION_NAMES.filter((name) => decide(status, name, parties).ok);
          expect({ status, parties, allowed: [...allowed].sort() }).toEqual({ status, parties, allowed: [...accepted].sort() });
        }
      }
    });
  });
});
