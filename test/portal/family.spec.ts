/**
 * The host family's pages over HTTP: its home page (the students proposed and hosted, with
 * diet, allergies and arrival), a placement accepted or declined (a decline needs a
 * reason), a coordinator acting on the placement page, the family's own record and its
 * availability; and the other side: another family, a host school, items the family does
 * not answer for, a form without its CSRF token.
 */
import { stayBegun, transition } from '../harness/applications.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { newUser, PASSWORD, type Session } from '../harness/factories.js';
import { acceptedApplications, familyUser, homestayExchange, profile, proposedPlacement, vettedFamily } from '../harness/host-families.js';
import { YEAR } from '../harness/partnerships.js';
import { PortalClient, textOf } from '../harness/portal.js';

describe('portal: host family', () => {
  let t: TestApp;
  let exchange: Awaited<ReturnType<typeof homestayExchange>>;
  let family: Record<string, any>;
  let otherFamily: Record<string, any>;
  let member: Session;
  let otherMember: Session;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    exchange = await homestayExchange(t);
    family = await vettedFamily(t, exchange.receiving.coordinator, { displayName: 'Kuznetsov family', capacity: 6 });
    otherFamily = await vettedFamily(t, exchange.receiving.coordinator, { displayName: 'Popov family' });
    member = await familyUser(t, exchange.receiving.institutionId, family.id);
    otherMember = await familyUser(t, exchange.receiving.institutionId, otherFamily.id);
  });
  afterAll(async () => {
    await t.close();
  });

  const signedIn = async (email: string) => {
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(email, PASSWORD);
    return browser;
  };
  const placementStatus = async (id: string) => ((await t.dataSource.query('SELECT status, reason FROM placements WHERE id = $1', [id])) as { status: string; reason: string | null }[])[0];

  /** A confirmed student with travel details, vegetarian and allergic to peanuts, proposed to the family. */
  async function proposed(fullName: string, toFamily = family) {
    const [{ student, application }] = await acceptedApplications(t, exchange, 1, { dateOfBirth: '2000-05-01', matchingProfile: profile({ languages: ['fr', 'en'], diet: ['vegetarian'], allergies: ['peanuts'] }) });
    await t.dataSource.query('UPDATE users SET full_name = $2 WHERE id = $1', [student.user.id, fullName]);
    await transition(t, student, application.id, 'confirm');
    const travel = { arrivalAt: `${YEAR}-08-28T14:35:00+03:00`, transportMode: 'train', reference: 'No. 104', arrivalPoint: 'Krasnodar-1 station', needsPickup: true };
    expect((await t.api.put(`/applications/${application.id}/travel`, travel, { token: student.token })).status).toBe(200);
    const placement = await proposedPlacement(t, exchange.receiving.coordinator, { applicationId: application.id, hostFamilyId: toFamily.id });
    return { student, application, placement };
  }

  it("shows the family a proposed student with diet, allergies and arrival, and accepts it", async () => {
    const { placement } = await proposed('Chloé Moreau');
    const browser = await signedIn(member.user.email);
    const home = textOf((await browser.get('/')).html);
    expect(home).toContain('Students proposed to you');
    expect(home).toContain('Chloé Moreau');
    expect(home).toContain('Adult');
    expect(home).toContain('vegetarian');
    expect(home).toContain('peanuts');
    expect(home).toContain('French, English');
    expect(home).toMatch(new RegExp(`Aug 28, ${YEAR}, 2:35 PM \\(Europe/Moscow\\)`));
    expect(home).toContain('Train No. 104, Krasnodar-1 station');
    expect(home).toContain('Pickup needed');

    const page = await browser.get(`/portal/placements/${placement.id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Proposed: waiting for the answer');
    expect(page.html).toContain(`action="/portal/placements/${placement.id}/accept"`);
    expect(page.html).toContain(`action="/portal/placements/${placement.id}/decline"`);
    expect(page.html).not.toContain(`action="/portal/placements/${placement.id}/cancel"`);
    const accepted = await browser.post(`/portal/placements/${placement.id}/accept`);
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe(`/portal/placements/${placement.id}?done=placement.accept`);
    expect((await placementStatus(placement.id)).status).toBe('accepted');
    const after = textOf((await browser.get(accepted.location!)).html);
    expect(after).toContain('You accepted the student');
    expect(after).toContain('Accepted');
    expect(after).toContain('peanuts');
    expect(after).not.toContain('Accept this student');
    expect(textOf((await browser.get('/')).html)).toMatch(/Students you host .*Chloé Moreau/);

    // Accepted twice: the conflict in words.
    const again = await browser.post(`/portal/placements/${placement.id}/accept`);
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('A placement in status accepted cannot be accepted');
  });

  it('needs a reason to decline, shown next to the field, and changes nothing without one', async () => {
    const { placement } = await proposed('Hugo Petit');
    const browser = await signedIn(member.user.email);
    await browser.get(`/portal/placements/${placement.id}`);
    const empty = await browser.post(`/portal/placements/${placement.id}/decline`, { reason: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('id="decline-reason-error"');
    expect(empty.html).toMatch(/<details class="dialog" open>/);
    expect(textOf(empty.html)).toContain('is required');
    expect(await placementStatus(placement.id)).toEqual({ status: 'proposed', reason: null });

    const declined = await browser.post(`/portal/placements/${placement.id}/decline`, { reason: 'We are away that month' });
    expect(declined.status).toBe(303);
    expect(await placementStatus(placement.id)).toEqual({ status: 'declined', reason: 'We are away that month' });
    const text = textOf((await browser.get(declined.location!)).html);
    expect(text).toContain('The placement is declined');
    expect(text).toContain('We are away that month');
  });

  it('lets a receiving coordinator act on the placement page, and a host school read it only', async () => {
    const { placement } = await proposed('Léa Roux');
    const coordinator = await signedIn(exchange.receiving.coordinator.user.email);
    const page = await coordinator.get(`/portal/placements/${placement.id}`);
    expect(page.status).toBe(200);
    for (const name of ['accept', 'decline', 'cancel']) expect(page.html).toContain(`action="/portal/placements/${placement.id}/${name}"`);
    const school = await signedIn((await newUser(t.dataSource, { role: 'host_school', institutionId: exchange.receiving.institutionId })).email);
    const read = await school.get(`/portal/placements/${placement.id}`);
    expect(read.status).toBe(200);
    expect(read.html).not.toContain('/accept"');
    expect((await school.post(`/portal/placements/${placement.id}/accept`)).status).toBe(403);
    expect((await placementStatus(placement.id)).status).toBe('proposed');

    const cancelled = await coordinator.post(`/portal/placements/${placement.id}/cancel`, { reason: 'The student changed programme' });
    expect(cancelled.status).toBe(303);
    expect(await placementStatus(placement.id)).toEqual({ status: 'cancelled', reason: 'The student changed programme' });
  });

  it("answers another family's placement 404, and a form without its CSRF token 403, nothing changed", async () => {
    const { placement } = await proposed('Inès Garnier');
    const stranger = await signedIn(otherMember.user.email);
    const page = await stranger.get(`/portal/placements/${placement.id}`);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain('Inès Garnier');
    expect((await stranger.post(`/portal/placements/${placement.id}/accept`)).status).toBe(404);
    expect((await stranger.post(`/portal/placements/${placement.id}/decline`, { reason: 'no' })).status).toBe(404);
    expect(textOf((await stranger.get('/')).html)).not.toContain('Inès Garnier');

    const browser = await signedIn(member.user.email);
    await browser.get(`/portal/placements/${placement.id}`);
    expect((await browser.post(`/portal/placements/${placement.id}/accept`, {}, { csrf: null })).status).toBe(403);
    expect((await placementStatus(placement.id)).status).toBe('proposed');
    expect((await browser.post('/portal/my-family', { capacity: '1', availableFrom: `${YEAR}-08-01`, availableTo: `${YEAR + 1}-07-31` }, { csrf: null })).status).toBe(403);
    expect((await t.dataSource.query('SELECT capacity FROM host_families WHERE id = $1', [family.id]))[0].capacity).toBe(6);
    // An unknown action is no page.
    expect((await browser.post(`/portal/placements/${placement.id}/approve`)).status).toBe(404);
  });

  // (before the checklist's test, which moves the stay's first day to today)
  it('renders the home page and a placement in Russian and French', async () => {
    const { placement } = await proposed('Sofia Morozova');
    const ru = await signedIn((await newUser(t.dataSource, { role: 'host_family', institutionId: exchange.receiving.institutionId, hostFamilyId: family.id, locale: 'ru' })).email);
    const home = textOf((await ru.get('/')).html);
    expect(home).toContain('Студенты, предложенные вам');
    expect(home).toContain('Sofia Morozova');
    expect(home).toContain('Аллергии');
    const fr = await signedIn((await newUser(t.dataSource, { role: 'host_family', institutionId: exchange.receiving.institutionId, hostFamilyId: family.id, locale: 'fr' })).email);
    const page = textOf((await fr.get(`/portal/placements/${placement.id}`)).html);
    expect(page).toContain('Placement de Sofia Morozova');
    expect(page).toContain('Régime alimentaire');
    expect(page).toContain('Accepter cet étudiant');
  });

  it("shows the family its students' checklist and lets it complete its own items only", async () => {
    const { application, placement } = await proposed('Manon Chevalier');
    const browser = await signedIn(member.user.email);
    await browser.post(`/portal/placements/${placement.id}/accept`, {}, { page: `/portal/placements/${placement.id}` });
    await stayBegun(t, exchange.program.id);
    await transition(t, exchange.receiving.coordinator, application.id, 'check-in');

    const page = await browser.get(`/portal/applications/${application.id}/checklist`);
    expect(page.status).toBe(200);
    const items: { id: string; code: string; responsible: string }[] = await t.dataSource.query('SELECT id, code, responsible FROM checklist_items WHERE application_id = $1', [application.id]);
    const ours = items.find((i) => i.code === 'migration_registration')!;
    const theirs = items.find((i) => i.code === 'host_family_welcome_check')!;
    expect(ours.responsible).toBe('host_family');
    expect(theirs.responsible).toBe('host_school');
    // The page offers the family its own items only.
    expect(page.html).toContain(`/portal/checklist-items/${ours.id}/complete`);
    expect(page.html).not.toContain(`/portal/checklist-items/${theirs.id}/complete`);
    const refused = await browser.post(`/portal/checklist-items/${theirs.id}/complete`, { back: `/portal/applications/${application.id}/checklist` });
    expect(refused.status).toBe(403);
    expect((await t.dataSource.query('SELECT completed_at FROM checklist_items WHERE id = $1', [theirs.id]))[0].completed_at).toBeNull();
    const done = await browser.post(`/portal/checklist-items/${ours.id}/complete`, { note: 'Registered at the MVD office', back: `/portal/applications/${application.id}/checklist` });
    expect(done.status).toBe(303);
    expect((await t.dataSource.query('SELECT note FROM checklist_items WHERE id = $1', [ours.id]))[0].note).toBe('Registered at the MVD office');

    // Another family reads none of it.
    const stranger = await signedIn(otherMember.user.email);
    expect((await stranger.get(`/portal/applications/${application.id}/checklist`)).status).toBe(404);
  });

  it('shows the family its record and changes its beds and availability, with field errors', async () => {
    const browser = await signedIn(member.user.email);
    const page = await browser.get('/portal/my-family');
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Kuznetsov family');
    expect(text).toContain('Approved');
    expect(page.html).toMatch(/id="capacity"[^>]*value="6"/);

    const bad = await browser.post('/portal/my-family', { capacity: 'three', availableFrom: `${YEAR}-08-01`, availableTo: `${YEAR}-07-01` });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="capacity-error"');
    expect(textOf(bad.html)).toContain('must be an integer');
    const reversed = await browser.post('/portal/my-family', { capacity: '4', availableFrom: `${YEAR}-08-01`, availableTo: `${YEAR}-07-01` });
    expect(reversed.status).toBe(400);
    expect(reversed.html).toContain('id="availableTo-error"');
    expect(textOf(reversed.html)).toContain('must not be before availableFrom');
    // Fewer beds than its students take: refused in words.
    const tooFew = await browser.post('/portal/my-family', { capacity: '1', availableFrom: `${YEAR}-08-01`, availableTo: `${YEAR + 1}-07-31` });
    expect(tooFew.status).toBe(409);
    expect((await t.dataSource.query('SELECT capacity FROM host_families WHERE id = $1', [family.id]))[0].capacity).toBe(6);

    const saved = await browser.post('/portal/my-family', { capacity: '5', availableFrom: `${YEAR}-07-01`, availableTo: `${YEAR + 1}-07-31` });
    expect(saved.status).toBe(303);
    expect(textOf((await browser.get(saved.location!)).html)).toContain('Your availability and beds are saved');
    const [row] = await t.dataSource.query('SELECT capacity, available_from::text AS "from" FROM host_families WHERE id = $1', [family.id]);
    expect(row).toEqual({ capacity: 5, from: `${YEAR}-07-01` });

    // Not a page for other roles.
    const coordinator = await signedIn(exchange.receiving.coordinator.user.email);
    expect((await coordinator.get('/portal/my-family')).status).toBe(403);
  });
});
