/**
 * Each resource's scope is decided twice, once on a loaded object (the rules' `canSee`, for
 * GET by id) and once in SQL (the list queries). Over objects generated across
 * institutions, roles and statuses, both must answer the same for every caller: what a
 * caller's list holds is exactly what it may open.
 */
import { DataSource } from 'typeorm';
import { Agreement } from '../../src/agreements/agreement.entity.js';
import { agreementListScope, agreementRules } from '../../src/agreements/agreement.rules.js';
import { AgreementsRepository } from '../../src/agreements/agreements.repository.js';
import { Application, type ApplicationStatus } from '../../src/applications/application.entity.js';
import { ApplicationDetails } from '../../src/applications/application.details.js';
import { canSeeApplication } from '../../src/applications/application.rules.js';
import { ApplicationsRepository } from '../../src/applications/applications.repository.js';
import { PreparedStatements } from '../../src/common/database/prepared-statements.js';
import type { Caller } from '../../src/common/http/caller.js';
import type { Page } from '../../src/common/pagination/pagination.js';
import { RowLocks } from '../../src/common/transactions/row-locks.js';
import { TransactionHost } from '../../src/common/transactions/transaction-host.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { Program } from '../../src/programs/program.entity.js';
import { programRules } from '../../src/programs/program.rules.js';
import { ProgramsRepository } from '../../src/programs/programs.repository.js';
import { User } from '../../src/users/user.entity.js';
import { ownInstitutionOf, userRules } from '../../src/users/user.rules.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { createTestDatabase } from '../harness/database.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = 20261201;

/** The timestamps a status implies, as the lifecycle sets them. */
const REACHED: Record<ApplicationStatus, ('submitted' | 'nominated' | 'accepted')[]> = {
  draft: [],
  submitted: ['submitted'],
  nominated: ['submitted', 'nominated'],
  waitlisted: ['submitted', 'nominated'],
  accepted: ['submitted', 'nominated', 'accepted'],
  confirmed: ['submitted', 'nominated', 'accepted'],
  arrived: ['submitted', 'nominated', 'accepted'],
  completed: ['submitted', 'nominated', 'accepted'],
  rejected: ['submitted'],
  declined: ['submitted', 'nominated', 'accepted'],
  withdrawn: ['submitted', 'nominated'],
  cancelled: ['submitted', 'nominated', 'accepted'],
};
const STATUSES = Object.keys(REACHED) as ApplicationStatus[];

async function all<T>(page: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const next = await page(cursor);
    items.push(...next.items);
    if (!next.nextCursor) return items;
    cursor = next.nextCursor;
  }
  throw new Error('too many pages');
}

const ids = <T extends { id: string }>(rows: T[]) => rows.map((r) => r.id).sort();

describe('access scopes: the object check and the list query agree', () => {
  let dataSource: DataSource;
  let repositories: { applications: ApplicationsRepository; programs: ProgramsRepository; agreements: AgreementsRepository; users: UsersRepository };
  const callers: { label: string; caller: Caller }[] = [];

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(await createTestDatabase()));
    await dataSource.initialize();
    const tx = new TransactionHost(dataSource);
    const locks = new RowLocks(tx);
    const statements = new PreparedStatements(tx, dataSource);
    repositories = {
      applications: new ApplicationsRepository(tx, locks, statements, new ApplicationDetails()),
      programs: new ProgramsRepository(tx, locks, statements),
      agreements: new AgreementsRepository(tx, locks),
      users: new UsersRepository(tx, statements),
    };
    const rnd = random(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

    const institutions: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [row] = await dataSource.query(
        `INSERT INTO institutions (name, short_name, city, country, kind, timezone) VALUES ($1, $2, 'Nancy', 'FR', 'university', 'Europe/Paris') RETURNING id`,
        [`Institution ${i}`, `I${i}`],
      );
      institutions.push(row.id);
    }
    // Agreements: every pair and the three together, in every status.
    const partnerSets = [[0, 1], [1, 2], [0, 2], [0, 1, 2]];
    const agreements: { id: string; partners: number[] }[] = [];
    for (const partners of partnerSets) {
      for (const status of ['draft', 'active', 'terminated']) {
        const [row] = await dataSource.query(`INSERT INTO agreements (title, status, starts_on, ends_on, created_by) VALUES ('A', $1, '2026-01-01', '2031-01-01', gen_random_uuid()) RETURNING id`, [status]);
        for (const [position, p] of partners.entries()) await dataSource.query('INSERT INTO agreement_partners (agreement_id, institution_id, position) VALUES ($1, $2, $3)', [row.id, institutions[p], position]);
        agreements.push({ id: row.id, partners });
      }
    }
    // Programmes: every direction of every agreement, statuses and windows (open, passed) mixed.
    const programs: string[] = [];
    for (const agreement of agreements) {
      for (const from of agreement.partners) {
        for (const to of agreement.partners.filter((p) => p !== from)) {
          const status = pick(['draft', 'published', 'published', 'closed', 'cancelled']);
          const closes = pick(["now() + interval '30 days'", "now() - interval '1 day'"]);
          const [row] = await dataSource.query(
            `INSERT INTO programs (agreement_id, title, sending_institution_id, receiving_institution_id, academic_year, starts_on, ends_on, application_opens_at, application_closes_at, seats, status, created_by)
             VALUES ($1, 'P', $2, $3, '2027/2028', '2027-09-01', '2028-01-31', now() - interval '60 days', ${closes}, 5, $4, gen_random_uuid()) RETURNING id`,
            [agreement.id, institutions[from], institutions[to], status],
          );
          programs.push(row.id);
        }
      }
    }
    // Users: a student pair, a coordinator, host-school staff and a host-family user per institution, one admin.
    const students: { id: string; institution: number }[] = [];
    for (const [i, institutionId] of institutions.entries()) {
      for (const role of ['student', 'student', 'coordinator', 'host_school', 'host_family']) {
        const [row] = await dataSource.query(`INSERT INTO users (email, full_name, role, institution_id) VALUES ($1, 'U', $2, $3) RETURNING id`, [`${role}.${i}.${students.length}.${rnd().toString(36).slice(2, 8)}@test.example`, role, institutionId]);
        if (role === 'student') students.push({ id: row.id, institution: i });
        callers.push({ label: `${role} of I${i}`, caller: { id: row.id, role: role as Caller['role'], institutionId, hostFamilyId: null, locale: 'en' } });
      }
    }
    const [admin] = await dataSource.query(`INSERT INTO users (email, full_name, role) VALUES ('admin@test.example', 'Admin', 'admin') RETURNING id`);
    callers.push({ label: 'admin', caller: { id: admin.id, role: 'admin', institutionId: null, hostFamilyId: null, locale: 'en' } });

    // Applications: each student to several programmes sent from its home, in every status.
    const programRows = await dataSource.manager.find(Program);
    for (const student of students) {
      const home = programRows.filter((p) => p.sendingInstitutionId === institutions[student.institution]);
      for (const program of home.slice(0, 8)) {
        const status = pick(STATUSES);
        const reached = REACHED[status];
        await dataSource.query(
          `INSERT INTO applications (program_id, student_id, sending_institution_id, receiving_institution_id, status, submitted_at, nominated_at, accepted_at, created_at)
           VALUES ($1, $2, $3, $4, $5, ${reached.includes('submitted') ? 'now()' : 'NULL'}, ${reached.includes('nominated') ? 'now()' : 'NULL'}, ${reached.includes('accepted') ? 'now()' : 'NULL'}, now() - $6 * interval '1 second')`,
          [program.id, student.id, program.sendingInstitutionId, program.receivingInstitutionId, status, Math.floor(rnd() * 100000)],
        );
      }
    }
    expect(programs.length).toBeGreaterThan(20);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('applications: every list (both directions, each direction) is exactly what canSee admits', async () => {
    const everything = await repositories.applications.listVisible({ id: 'x', role: 'admin', institutionId: null, hostFamilyId: null, locale: 'en' }, { limit: 100 });
    expect(everything.items.length).toBeGreaterThan(0);
    const rows = await dataSource.manager.find(Application);
    for (const { label, caller } of callers) {
      if (caller.role === 'host_family') continue; // 403 on the route
      const listed = await all((cursor) => repositories.applications.listVisible(caller, { limit: 7, cursor }));
      expect({ label, ids: ids(listed) }).toEqual({ label, ids: ids(rows.filter((a) => canSeeApplication(caller, a))) });
      for (const direction of ['incoming', 'outgoing'] as const) {
        const one = await all((cursor) => repositories.applications.listVisible(caller, { limit: 7, cursor, direction }));
        // A listed row carries what its answer shows; the object check reads the whole row.
        for (const application of one) expect({ label, direction, visible: canSeeApplication(caller, rows.find((row) => row.id === application.id)!) }).toEqual({ label, direction, visible: true });
      }
    }
  });

  it('programmes: every list is exactly what canSee admits (students: published ones of their home, window not passed)', async () => {
    const rows = await dataSource.manager.find(Program);
    for (const { label, caller } of callers) {
      if (caller.role === 'host_school' || caller.role === 'host_family') continue; // 403 on the route
      const listed = await all((cursor) => repositories.programs.listVisible(caller, { limit: 9, cursor }));
      expect({ label, ids: ids(listed) }).toEqual({ label, ids: ids(rows.filter((p) => programRules.canSee(caller, p))) });
    }
  });

  it('agreements: the list of the institution a caller is limited to is exactly what canSee admits', async () => {
    const rows = await dataSource.manager.find(Agreement);
    await repositories.agreements.attachDetails(rows);
    for (const { label, caller } of callers) {
      const scope = agreementListScope(caller);
      const listed = scope === 'none' ? [] : await all((cursor) => repositories.agreements.listPage({ institutionId: scope.institutionId }, { limit: 5, cursor }));
      expect({ label, ids: ids(listed) }).toEqual({ label, ids: ids(rows.filter((a) => agreementRules.canSee(caller, a))) });
    }
  });

  it('users: an admin’s and a coordinator’s list is exactly what canSee admits', async () => {
    const rows = await dataSource.manager.find(User);
    for (const { label, caller } of callers) {
      if (caller.role !== 'admin' && caller.role !== 'coordinator') continue; // 403 on the route
      const own = ownInstitutionOf(caller, undefined);
      if (own === 'other') throw new Error('unreachable');
      const listed = await all((cursor) => repositories.users.listPage({ institutionId: own.institutionId ?? undefined }, { limit: 10, cursor }));
      expect({ label, ids: ids(listed) }).toEqual({ label, ids: ids(rows.filter((u) => userRules.canSee(caller, u))) });
    }
  });
});
