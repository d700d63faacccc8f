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
      // Parties that take this name from no status are forbidden; those that take it from another status meet a 409.
      for (const party of PARTIES.filter((p) => !row.by.includes(p))) {
        const otherRows = SPEC.filter((r) => r !== row && r.name === row.name && r.by.includes(party));
        const expected = !otherRows.length ? 'forbidden' : otherRows.some((r) => r.from.includes(from)) ? 'ok' : 'invalid_transition';
        const decision = decide(from, row.name, [party]);
        expect({ party, outcome: decision.ok ? 'ok' : decision.error }).toEqual({ party, outcome: expected });
      }
      expect(decide(from, row.name, [])).toEqual({ ok: false, error: 'forbidden' });
    });

    const notListed = APPLICATION_STATUSES.filter((s) => !SPEC.some((r) => r.name === row.name && r.from.includes(s)));
    it.each(notListed)(`${row.name} from %s: 409 for a party that takes it from another status, 403 for the others`, (status) => {
      for (const parties of [...PARTIES.map((p) => [p]), PARTIES, []]) {
        const takesIt = SPEC.some((r) => r.name === row.name && r.by.some((p) => parties.includes(p)));
        expect({ parties, decision: decide(status, row.name, parties) }).toEqual({ parties, decision: { ok: false, error: takesIt ? 'invalid_transition' : 'forbidden' } });
      }
    });
  });

  it('403 before 409: a party that never takes a transition is forbidden whatever the status', () => {
    for (const name of TRANSITION_NAMES) {
      for (const party of PARTIES) {
        const ever = SPEC.some((r) => r.name === name && r.by.includes(party));
        for (const status of APPLICATION_STATUSES) {
          const decision = decide(status, name, [party]);
          if (!ever) expect({ name, party, status, decision }).toEqual({ name, party, status, decision: { ok: false, error: 'forbidden' } });
          else expect({ name, party, status, forbidden: !decision.ok && decision.error === 'forbidden' }).toEqual({ name, party, status, forbidden: false });
        }
      }
    }
    // the cases users meet: a student accepting or nominating, host-school staff accepting or completing
    expect(decide('nominated', 'accept', ['student'])).toEqual({ ok: false, error: 'forbidden' });
    expect(decide('draft', 'nominate', ['student'])).toEqual({ ok: false, error: 'forbidden' });
    expect(decide('accepted', 'accept', ['host_school'])).toEqual({ ok: false, error: 'forbidden' });
    expect(decide('arrived', 'complete', ['host_school'])).toEqual({ ok: false, error: 'forbidden' });
    // and a party that could, from another status
    expect(decide('completed', 'check-in', ['host_school'])).toEqual({ ok: false, error: 'invalid_transition' });
  });

  it('reject goes to the row of the caller: the sending side from submitted, the receiving side from nominated and waitlisted', () => {
    // Each side rejects from its own statuses; from the other side's it is a 409 (it could reject, not now).
    expect(decide('submitted', 'reject', ['receiving'])).toEqual({ ok: false, error: 'invalid_transition' });
    expect(decide('nominated', 'reject', ['sending'])).toEqual({ ok: false, error: 'invalid_transition' });
    expect(decide('waitlisted', 'reject', ['sending'])).toEqual({ ok: false, error: 'invalid_transition' });
    expect(decide('nominated', 'reject', ['student'])).toEqual({ ok: false, error: 'forbidden' });
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
