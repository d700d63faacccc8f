/**
 * The shared lifecycle shape and the transition hooks: every lifecycle answers 403 to a
 * party that never takes a transition and 409 to one that takes it from another status
 * (host families and placements also cell by cell against SPEC section 3);
 * a hook for a transition that does not exist is refused when it is registered.
 */
import { AGREEMENT_STATUSES } from '../../src/agreements/agreement.entity.js';
import { AgreementHooks } from '../../src/agreements/agreement.hooks.js';
import { agreementLifecycle } from '../../src/agreements/agreement.state-machine.js';
import { ApplicationHooks } from '../../src/applications/application.hooks.js';
import { applicationLifecycle } from '../../src/applications/application.state-machine.js';
import { Lifecycle } from '../../src/common/lifecycle/lifecycle.js';
import { TransitionHooks } from '../../src/common/lifecycle/transition-hooks.js';
import { HOST_FAMILY_STATUSES } from '../../src/host-families/host-family.entity.js';
import { HostFamilyHooks } from '../../src/host-families/host-family.hooks.js';
import { hostFamilyLifecycle } from '../../src/host-families/host-family.state-machine.js';
import { PLACEMENT_STATUSES } from '../../src/placements/placement.entity.js';
import { placementLifecycle } from '../../src/placements/placement.state-machine.js';
import { PROGRAM_STATUSES } from '../../src/programs/program.entity.js';
import { ProgramHooks } from '../../src/programs/program.hooks.js';
import { programLifecycle } from '../../src/programs/program.state-machine.js';

/** Every (transition, party, status): forbidden iff the party takes the name from no status; ok iff a row of its leaves the status. */
function checkEveryCell<S extends string, N extends string, P extends string>(lifecycle: Lifecycle<S, N, P>, statuses: readonly S[], parties: readonly P[]) {
  for (const name of lifecycle.names) {
    for (const party of parties) {
      const rows = lifecycle.rows.filter((r) => r.name === name && r.by.includes(party));
      for (const status of statuses) {
        const decision = lifecycle.decide(status, name, [party]);
        const expected = !rows.length ? 'forbidden' : rows.some((r) => r.from.includes(status)) ? 'ok' : 'invalid_transition';
        expect({ name, party, status, outcome: decision.ok ? 'ok' : decision.error }).toEqual({ name, party, status, outcome: expected });
      }
    }
    for (const status of statuses) expect(lifecycle.decide(status, name, [])).toEqual({ ok: false, error: 'forbidden' });
  }
}

describe('lifecycles', () => {
  it('programmes: draft → published → closed, or cancelled, by either side; 403 before 409', () => {
    checkEveryCell(programLifecycle, PROGRAM_STATUSES, ['sending', 'receiving']);
    expect(programLifecycle.decide('closed', 'publish', ['sending'])).toEqual({ ok: false, error: 'invalid_transition' });
    expect(programLifecycle.decide('draft', 'publish', [])).toEqual({ ok: false, error: 'forbidden' });
    expect(programLifecycle.allowed('published', ['receiving']).sort()).toEqual(['cancel', 'close']);
  });

  it('agreements: approved and terminated by partners; 403 before 409', () => {
    checkEveryCell(agreementLifecycle, AGREEMENT_STATUSES, ['partner']);
    expect(agreementLifecycle.decide('terminated', 'approve', ['partner'])).toEqual({ ok: false, error: 'invalid_transition' });
    expect(agreementLifecycle.decide('active', 'terminate', [])).toEqual({ ok: false, error: 'forbidden' });
  });

  it('applications: the same rule on the same shape', () => {
    checkEveryCell(applicationLifecycle, ['draft', 'submitted', 'nominated', 'waitlisted', 'accepted', 'confirmed', 'arrived', 'completed', 'rejected', 'declined', 'withdrawn', 'cancelled'], ['student', 'sending', 'receiving', 'host_school']);
  });

  /**
   * A lifecycle against a table written out from SPEC section 3: for each transition and
   * party, one letter per status, in `statuses` order: o ok, f forbidden (403), i invalid
   * transition (409).
   */
  function checkAgainst<S extends string, N extends string, P extends string>(lifecycle: Lifecycle<S, N, P>, statuses: readonly S[], cells: Record<N, Record<P, string>>) {
    const outcome = { o: 'ok', f: 'forbidden', i: 'invalid_transition' } as const;
    for (const [name, byParty] of Object.entries(cells) as [N, Record<P, string>][]) {
      for (const [party, letters] of Object.entries(byParty) as [P, string][]) {
        expect(letters).toHaveLength(statuses.length);
        statuses.forEach((status, i) => {
          const decision = lifecycle.decide(status, name, [party]);
          expect({ name, party, status, outcome: decision.ok ? 'ok' : decision.error }).toEqual({ name, party, status, outcome: outcome[letters[i] as keyof typeof outcome] });
        });
      }
    }
    expect(Object.keys(cells).sort()).toEqual([...lifecycle.names].sort());
  }

  it('host families, cell by cell: only the managing coordinators vet (from any status: renewing, reinstating, reconsidering) and suspend (pending or approved, with a reason); the family never', () => {
    expect(HOST_FAMILY_STATUSES).toEqual(['pending_vetting', 'approved', 'rejected', 'suspended']);
    //                      pending  approved  rejected  suspended
    checkAgainst(hostFamilyLifecycle, HOST_FAMILY_STATUSES, {
      approve: { manager: 'oooo', family: 'ffff' },
      reject: { manager: 'oooo', family: 'ffff' },
      suspend: { manager: 'ooii', family: 'ffff' },
    });
    checkEveryCell(hostFamilyLifecycle, HOST_FAMILY_STATUSES, ['manager', 'family']);
    expect(hostFamilyLifecycle.rows.map((r) => ({ name: r.name, to: r.to, needsReason: r.needsReason === true }))).toEqual([
      { name: 'approve', to: 'approved', needsReason: false },
      { name: 'reject', to: 'rejected', needsReason: false },
      { name: 'suspend', to: 'suspended', needsReason: true },
    ]);
    expect(hostFamilyLifecycle.allowed('approved', ['manager']).sort()).toEqual(['approve', 'reject', 'suspend']);
    expect(hostFamilyLifecycle.allowed('suspended', ['manager']).sort()).toEqual(['approve', 'reject']);
    for (const status of HOST_FAMILY_STATUSES) expect(hostFamilyLifecycle.allowed(status, ['family'])).toEqual([]);
  });

  it('placements, cell by cell: the family or its coordinator accepts or declines a proposal; only the coordinator cancels and ends', () => {
    expect(PLACEMENT_STATUSES).toEqual(['proposed', 'accepted', 'declined', 'cancelled', 'ended']);
    //                   proposed accepted declined cancelled ended
    checkAgainst(placementLifecycle, PLACEMENT_STATUSES, {
      accept: { family: 'oiiii', coordinator: 'oiiii' },
      decline: { family: 'oiiii', coordinator: 'oiiii' },
      cancel: { family: 'fffff', coordinator: 'ooiii' },
      end: { family: 'fffff', coordinator: 'ioiii' },
    });
    checkEveryCell(placementLifecycle, PLACEMENT_STATUSES, ['family', 'coordinator']);
    expect(placementLifecycle.rows.map((r) => ({ name: r.name, to: r.to, needsReason: r.needsReason === true }))).toEqual([
      { name: 'accept', to: 'accepted', needsReason: false },
      { name: 'decline', to: 'declined', needsReason: true },
      { name: 'cancel', to: 'cancelled', needsReason: true },
      { name: 'end', to: 'ended', needsReason: false },
    ]);
    expect(placementLifecycle.allowed('proposed', ['family']).sort()).toEqual(['accept', 'decline']);
    expect(placementLifecycle.allowed('accepted', ['family'])).toEqual([]);
    expect(placementLifecycle.allowed('accepted', ['coordinator']).sort()).toEqual(['cancel', 'end']);
    for (const status of ['declined', 'cancelled', 'ended'] as const) expect(placementLifecycle.allowed(status, ['family', 'coordinator'])).toEqual([]);
  });

  it('a table whose rows and declared names disagree does not load', () => {
    expect(() => new Lifecycle('thing', ['open'] as const, [])).toThrow('transition "open" has no row');
    expect(() => new Lifecycle<'a' | 'b', 'go', 'x'>('thing', [] as unknown as readonly 'go'[], [{ name: 'go', from: ['a'], to: 'b', by: ['x'] }])).toThrow('row "go" is not a declared transition');
  });
});

describe('transition hooks', () => {
  it('refuses a hook for a transition the lifecycle does not have, naming it and the owner', () => {
    const applications = new ApplicationHooks();
    expect(() => applications.precondition('frobnicate' as never, 'placements', () => undefined)).toThrow(/placements registers a hook for "frobnicate", which is not a transition of application/);
    expect(() => applications.onTransition(['submit', 'approve' as never], 'audit', () => undefined)).toThrow(/"approve"/);
    expect(() => new ProgramHooks().precondition('accept' as never, 'applications', () => undefined)).toThrow(/not a transition of program/);
    expect(() => new AgreementHooks().onTransition('publish' as never, 'notifications', () => undefined)).toThrow(/not a transition of agreement/);
    expect(() => new HostFamilyHooks().precondition('accept' as never, 'placements', () => undefined)).toThrow(/not a transition of host_family/);
    expect(() => new HostFamilyHooks().precondition(['edit', 'suspend', 'approve', 'reject'], 'placements', () => undefined)).not.toThrow();
    expect(applications.registered()).toEqual([]);
  });

  it('runs preconditions before and handlers after, in registration order, only for their transitions', async () => {
    const hooks = new TransitionHooks<'open' | 'close', string>('door', ['open', 'close']);
    const calls: string[] = [];
    hooks.precondition('open', 'a', (c) => void calls.push(`a:${c}`));
    hooks.precondition(['open', 'close'], 'b', async (c) => void calls.push(`b:${c}`));
    hooks.onTransition('*', 'history', (c) => void calls.push(`history:${c}`));
    await hooks.checkBefore('open', 'x');
    await hooks.runAfter('open', 'x');
    await hooks.checkBefore('close', 'y');
    expect(calls).toEqual(['a:x', 'b:x', 'history:x', 'b:y']);
    expect(hooks.registered().map((r) => `${r.kind}:${r.name}:${r.owner}`).sort()).toEqual(
      ['precondition:open:a', 'precondition:open:b', 'precondition:close:b', 'handler:open:history', 'handler:close:history'].sort(),
    );
  });

  it('a precondition that throws stops the ones after it', async () => {
    const hooks = new TransitionHooks<'go', null>('thing', ['go']);
    const calls: string[] = [];
    hooks.precondition('go', 'first', () => {
      throw new Error('refused');
    });
    hooks.precondition('go', 'second', () => void calls.push('second'));
    await expect(hooks.checkBefore('go', null)).rejects.toThrow('refused');
    expect(calls).toEqual([]);
  });
});

describe('access scopes', () => {
  it('two scopes on one query (joined aliases) keep their own parameters', async () => {
    const { scopeWhere, inScope, NOT_NULL } = await import('../../src/common/access/scope.js');
    const params: Record<string, unknown> = {};
    const wheres: string[] = [];
    const builder = {
      andWhere(sql: unknown, p?: Record<string, unknown>) {
        if (typeof sql === 'string') wheres.push(sql);
        else (sql as { whereFactory: (b: unknown) => void }).whereFactory(builder);
        Object.assign(params, p);
        return builder;
      },
      orWhere(sql: unknown, p?: Record<string, unknown>) {
        return builder.andWhere(sql, p);
      },
      where(sql: unknown, p?: Record<string, unknown>) {
        return builder.andWhere(sql, p);
      },
    };
    scopeWhere(builder as never, 'program', [{ name: 'sending', where: { sendingInstitutionId: 'a' } }]);
    scopeWhere(builder as never, 'application', [{ name: 'outgoing', where: { sendingInstitutionId: 'b', submittedAt: NOT_NULL } }]);
    expect(Object.values(params).sort()).toEqual(['a', 'b']);
    expect(wheres).toContain('application.submittedAt IS NOT NULL');
    expect(inScope([{ name: 'x', where: { submittedAt: NOT_NULL } }], { submittedAt: null })).toBe(false);
    expect(inScope([], {})).toBe(false);
    expect(inScope('all', {})).toBe(true);
  });
});
