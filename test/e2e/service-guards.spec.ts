/**
 * The routes refuse callers by role (@Roles); the services refuse the same callers by
 * themselves, since the portal will call them without going through those routes. Called
 * here as the portal would, as the wrong role: refused, and nothing written.
 */
import { AgreementsService } from '../../src/agreements/agreements.service.js';
import { ApplicationsService } from '../../src/applications/applications.service.js';
import type { Caller } from '../../src/common/http/caller.js';
import { ProgramsService } from '../../src/programs/programs.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { cast } from '../harness/factories.js';
import { activeAgreement, agreementBody, newPartner, programBody, publishedProgram } from '../harness/partnerships.js';

describe('services refuse what their routes refuse', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof cast>>;
  const callerOf = (session: { user: { id: string; role: Caller['role']; institutionId: string | null } }): Caller => ({
    id: session.user.id,
    role: session.user.role,
    institutionId: session.user.institutionId,
    hostFamilyId: null,
    locale: 'en',
  });
  const count = async (table: string) => Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    people = await cast(t.dataSource, t.api);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a coordinator cannot apply, a student cannot open programmes or agreements, and only admins and coordinators list users', async () => {
    const home = { institutionId: people.home.id, coordinator: people.coordinator };
    const partner = await newPartner(t);
    const agreement = await activeAgreement(t, { partners: [home, partner] });
    const program = await publishedProgram(t, people.coordinator, agreement.id, people.home.id, partner.institutionId);
    const before = await Promise.all(['applications', 'programs', 'agreements'].map(count));

    await expect(t.app.get(ApplicationsService).create(callerOf(people.coordinator), { programId: program.id })).rejects.toMatchObject({ code: 'access.forbidden', status: 403 });
    await expect(t.app.get(ProgramsService).create(callerOf(people.student), programBody(agreement.id, people.home.id, partner.institutionId) as never)).rejects.toMatchObject({ code: 'access.forbidden' });
    await expect(t.app.get(ProgramsService).create(callerOf(people.hostSchool), programBody(agreement.id, people.home.id, partner.institutionId) as never)).rejects.toMatchObject({ code: 'access.forbidden' });
    await expect(t.app.get(AgreementsService).create(callerOf(people.student), agreementBody([people.home.id, partner.institutionId]) as never)).rejects.toMatchObject({ code: 'access.forbidden' });
    for (const who of [people.student, people.hostSchool, people.hostFamily]) expect((await t.app.get(UsersService).list(callerOf(who), { limit: 100 })).items).toEqual([]);
    for (const who of [people.hostSchool, people.hostFamily]) expect((await t.app.get(ProgramsService).list(callerOf(who), { limit: 100 })).items).toEqual([]);
    expect(await Promise.all(['applications', 'programs', 'agreements'].map(count))).toEqual(before);
  });
});
