/**
 * How the domains are wired into each other's lifecycles in the running application: who
 * registered which precondition and handler, on which transition.
 */
import { AGREEMENT_CHANGES, AgreementHooks } from '../../src/agreements/agreement.hooks.js';
import { ApplicationHooks } from '../../src/applications/application.hooks.js';
import { TRANSITION_NAMES } from '../../src/applications/application.state-machine.js';
import { ApplicationDetails } from '../../src/applications/application.details.js';
import { HOST_FAMILY_CHANGES, HostFamilyHooks } from '../../src/host-families/host-family.hooks.js';
import { PROGRAM_CHANGES, ProgramHooks } from '../../src/programs/program.hooks.js';
import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { IdempotencyInterceptor } from '../../src/common/idempotency/idempotency.interceptor.js';
import { startTestApp, type TestApp } from '../harness/app.js';

describe('lifecycle wiring', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const rows = (hooks: { registered(): { name: string; kind: string; owner: string }[] }) => hooks.registered().map((r) => `${r.kind} ${r.name} ${r.owner}`).sort();

  it('applications: documents and learning agreements guard submit and confirm, arrivals check-in; every transition writes history and an audit entry; withdraw, decline, cancel and complete end the placement; check-in makes the checklist; notifications tell of every transition but check-in and complete', () => {
    const registered = rows(t.app.get(ApplicationHooks));
    expect(registered.filter((r) => r.startsWith('precondition'))).toEqual(['precondition check-in arrivals', 'precondition confirm learning-agreements', 'precondition submit documents']);
    expect(registered.filter((r) => r.startsWith('handler'))).toEqual(
      [
        ...TRANSITION_NAMES.map((name) => `handler ${name} applications.history`),
        ...TRANSITION_NAMES.map((name) => `handler ${name} audit`),
        ...['withdraw', 'decline', 'cancel', 'complete'].map((name) => `handler ${name} placements`),
        'handler check-in arrivals',
        ...['submit', 'nominate', 'accept', 'waitlist', 'reject', 'cancel', 'confirm', 'decline', 'withdraw'].map((name) => `handler ${name} notifications`),
      ].sort(),
    );
  });

  it('Idempotency-Key: the interceptor of this application is the first of every POST route (API and portal), and of no other route', () => {
    const interceptor = t.app.get(IdempotencyInterceptor);
    const routes: { method: number; interceptors: unknown[] }[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        const prototype = (metatype as { prototype: Record<string, object> }).prototype;
        for (const name of new MetadataScanner().getAllMethodNames(prototype)) {
          const method = Reflect.getMetadata(METHOD_METADATA, prototype[name]) as number | undefined;
          if (method !== undefined) routes.push({ method, interceptors: (Reflect.getMetadata(INTERCEPTORS_METADATA, prototype[name]) ?? []) as unknown[] });
        }
      }
    }
    const posts = routes.filter((route) => route.method === RequestMethod.POST);
    expect(posts.length).toBeGreaterThan(50);
    for (const route of posts) expect(route.interceptors[0]).toBe(interceptor);
    for (const route of routes.filter((r) => r.method !== RequestMethod.POST)) expect(route.interceptors.filter((i) => i instanceof IdempotencyInterceptor)).toEqual([]);
  });

  it("applications' answers carry their placement, and their history its changes, read by placements", () => {
    expect(t.app.get(ApplicationDetails).registered()).toEqual([{ name: 'placement', owner: 'placements' }]);
    expect(t.app.get(ApplicationDetails).registeredHistories()).toEqual([{ prefix: 'placement', owner: 'placements' }]);
  });

  it('host families: placements guard an edit (beds and availability they take); the audit log records every change', () => {
    expect(rows(t.app.get(HostFamilyHooks))).toEqual(['precondition edit placements', ...HOST_FAMILY_CHANGES.map((name) => `handler ${name} audit`)].sort());
  });

  it('programmes: applications guard a cancellation and a loss of seats; agreements: notifications tell of a proposal, an edit, an approval and a termination; the audit log records every change of both', () => {
    expect(rows(t.app.get(ProgramHooks))).toEqual(
      ['precondition cancel applications', 'precondition edit applications', 'precondition edit placements', ...PROGRAM_CHANGES.map((name) => `handler ${name} audit`)].sort(),
    );
    expect(rows(t.app.get(AgreementHooks))).toEqual(
      [
        'handler approve notifications',
        'handler edit notifications',
        'handler propose notifications',
        'handler terminate notifications',
        ...AGREEMENT_CHANGES.map((name) => `handler ${name} audit`),
      ].sort(),
    );
  });
});
