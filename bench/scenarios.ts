/**
 * What the bench measures: the reads (each against the API and the baseline, which must
 * send the same SQL and answer the same items), the write stream and the sign-in (the API
 * alone).
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Fixtures } from './generate.js';
import { JWT } from './baseline/queries.js';
import { JWT_SECRET } from './lib/servers.js';

export interface ReadScenario {
  key: string;
  title: string;
  path: string;
  token: string | null;
  /** The ids of the answer's items, in order (what the API and the baseline must agree on). */
  ids(body: unknown): string[];
}

/**
 * An access token as the API issues them (src/auth/token.service.ts), valid for the whole run; its session (`sid`) is the
 * refresh-token family the generator opened for the user, whose id is the user's.
 */
export function accessToken(userId: string, role: string): string {
  return jwt.sign({ role, sid: userId }, JWT_SECRET, { algorithm: JWT.algorithm, issuer: JWT.issuer, audience: JWT.audience, subject: userId, expiresIn: '12h', jwtid: randomUUID() });
}

type Item = Record<string, unknown>;
const itemIds = (field: string) => (body: unknown) => ((body as { items?: Item[] })?.items ?? []).map((item) => String(item[field]));

export function readScenarios(fixtures: Fixtures, page50Cursor: string, page50Number: number): ReadScenario[] {
  const coordinator = accessToken(fixtures.coordinator.id, 'coordinator');
  const student = accessToken(fixtures.student.id, 'student');
  return [
    { key: 'programs-open', title: 'Student: open programmes', path: '/api/v1/programs?open=true', token: student, ids: itemIds('id') },
    { key: 'incoming-page-1', title: 'Coordinator: incoming applications, page 1', path: '/api/v1/applications?direction=incoming', token: coordinator, ids: itemIds('id') },
    {
      key: 'incoming-page-50',
      title: `Coordinator: incoming applications, page ${page50Number} (cursor)`,
      path: `/api/v1/applications?direction=incoming&cursor=${encodeURIComponent(page50Cursor)}`,
      token: coordinator,
      ids: itemIds('id'),
    },
    { key: 'arrivals', title: 'Arrivals board', path: `/api/v1/arrivals?from=${fixtures.arrivals.from}&to=${fixtures.arrivals.to}`, token: coordinator, ids: itemIds('applicationId') },
    { key: 'matches', title: 'Host-family matches of an application', path: `/api/v1/applications/${fixtures.matchApplicationId}/host-family-matches`, token: coordinator, ids: itemIds('hostFamilyId') },
    { key: 'application', title: 'GET /applications/{id}', path: `/api/v1/applications/${fixtures.applicationId}`, token: coordinator, ids: (body) => [String((body as Item)?.id)] },
    { key: 'institutions', title: 'Public institutions list', path: '/api/v1/institutions', token: null, ids: itemIds('id') },
  ];
}

/** The accept/waitlist stream: each nominated application once, accepted or waitlisted in turn, by its receiving coordinator. */
export function transitionSequence(nominated: Fixtures['nominated']): { path: string; method: 'POST'; headers: Record<string, string>; body: string; applicationId: string }[] {
  const tokens = new Map<string, string>();
  return nominated.map(({ applicationId, coordinatorId }, i) => {
    if (!tokens.has(coordinatorId)) tokens.set(coordinatorId, accessToken(coordinatorId, 'coordinator'));
    return {
      applicationId,
      method: 'POST',
      path: `/api/v1/applications/${applicationId}/${i % 2 === 0 ? 'accept' : 'waitlist'}`,
      headers: { authorization: `Bearer ${tokens.get(coordinatorId)}`, 'content-type': 'application/json' },
      body: '{}',
    };
  });
}

/** Sign-ins of the coordinators in turn (the per-address and per-e-mail limits are raised for the bench). */
export function loginSequence(fixtures: Fixtures): { path: string; method: 'POST'; headers: Record<string, string>; body: string }[] {
  return Array.from({ length: fixtures.sizes.institutions }, (_, i) => ({
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `coord${i}@bench.example`, password: fixtures.password }),
  }));
}
