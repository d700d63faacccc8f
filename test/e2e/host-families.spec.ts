import { startTestApp, type TestApp } from '../harness/app.js';
import { acceptedApplications, familyUser, homestayExchange, proposedPlacement, vettedFamily } from '../harness/host-families.js';

describe('host families and placements (smoke)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers, vets, matches, places and accepts', async () => {
    const exchange = await homestayExchange(t);
    const coordinator = exchange.receiving.coordinator;
    const family = await vettedFamily(t, coordinator, { languages: ['ru', 'fr'] });
    expect(family).toMatchObject({ status: 'approved', vetted: true, vettingExpired: false });
    const [{ application, student }] = await acceptedApplications(t, exchange, 1);
    const matches = await t.api.get(`/applications/${application.id}/host-family-matches`, { token: coordinator.token });
    expect(matches.status).toBe(200);
    expect(matches.body.items.map((m: { hostFamilyId: string }) => m.hostFamilyId)).toEqual([family.id]);
    const placement = await proposedPlacement(t, coordinator, { applicationId: application.id, hostFamilyId: family.id });
    expect(placement.status).toBe('proposed');
    const user = await familyUser(t, exchange.receiving.institutionId, family.id);
    const accepted = await t.api.post(`/placements/${placement.id}/accept`, {}, { token: user.token });
    expect(accepted.status).toBe(200);
    const seen = await t.api.get(`/applications/${application.id}`, { token: student.token });
    expect(seen.body.placement).toMatchObject({ status: 'accepted', family: { displayName: family.displayName, contactEmail: family.contactEmail } });
    const history = await t.api.get(`/applications/${application.id}/history`, { token: coordinator.token });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['placement.propose', 'placement.accept']));
  });
});
