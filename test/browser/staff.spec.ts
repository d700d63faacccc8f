/**
 * The host school's, the host family's and the admin's pages in a real headless Chromium:
 * a check-in and a checklist item completed from the keyboard, a placement accepted, and
 * the accessibility of every page (axe-core) on a desktop and on a 375 px phone.
 */
import type { Browser, Page } from 'playwright-core';
import { confirmedApplication, newStudents, stayBegun } from '../harness/applications.js';
import { heading, launchBrowser, newContext, seriousViolations, signInAs, submit } from '../harness/browser.js';
import { newUser, PASSWORD } from '../harness/factories.js';
import { acceptedApplications, dayFromToday, familyUser, homestayExchange, profile, proposedPlacement, vettedFamily } from '../harness/host-families.js';
import { startTestApp, type TestApp } from '../harness/app.js';

/** What the page's own scripts see (these run in the browser, not in Node). */
declare const document: { documentElement: { scrollWidth: number } };

describe('portal in a browser: host school, host family, admin', () => {
  let t: TestApp;
  let browser: Browser;
  let exchange: Awaited<ReturnType<typeof homestayExchange>>;
  let hostSchoolEmail: string;
  let adminEmail: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    exchange = await homestayExchange(t);
    hostSchoolEmail = (await newUser(t.dataSource, { role: 'host_school', institutionId: exchange.receiving.institutionId })).email;
    adminEmail = (await newUser(t.dataSource, { role: 'admin' })).email;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Every path answers 200, without a serious accessibility violation, and no wider than a 375 px phone. */
  async function scan(email: string, paths: string[]): Promise<void> {
    for (const width of [1280, 375]) {
      const context = await newContext(browser, t.baseUrl, { width });
      const page = await context.newPage();
      await signInAs(page, email, PASSWORD);
      for (const path of paths) {
        const response = await page.goto(path);
        expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
        expect({ path, width, violations: await seriousViolations(page) }).toEqual({ path, width, violations: [] });
        if (width === 375) expect({ path, scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, scrollWidth: 375 });
      }
      await context.close();
    }
  }

  async function arriving(): Promise<string> {
    const [student] = await newStudents(t, exchange.sending.institutionId, 1);
    const confirmed = await confirmedApplication(t, student, exchange.program, exchange.sides, { dateOfBirth: '2000-05-01', matchingProfile: profile() });
    await stayBegun(t, exchange.program.id);
    const travel = { arrivalAt: new Date().toISOString(), transportMode: 'plane', reference: 'SU 1140', arrivalPoint: 'Krasnodar airport (KRR)', needsPickup: true };
    expect((await t.api.put(`/applications/${confirmed.id}/travel`, travel, { token: student.token })).status).toBe(200);
    return confirmed.id as string;
  }

  it('the host school checks a student in and completes a checklist item from the keyboard', async () => {
    const id = await arriving();
    const context = await newContext(browser, t.baseUrl);
    const page: Page = await context.newPage();
    await signInAs(page, hostSchoolEmail, PASSWORD);
    await page.getByRole('link', { name: 'Arrivals', exact: true }).click();
    expect(await heading(page)).toBe('Arrivals board');
    const button = page.locator(`form[action="/portal/arrivals/${id}/check-in"] button[type="submit"]`);
    await button.focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.getByRole('status').textContent()).toBe('The arrival is checked in');
    await page.locator(`a[href="/portal/applications/${id}/checklist"]`).first().click();
    expect(await heading(page)).toMatch(/^Arrival checklist of /);
    // The first item's dialog opens from the keyboard; its note is labelled.
    const summary = page.locator('details.dialog summary').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Note (optional)').first().fill('Welcomed at the office');
    await submit(page, page.getByRole('button', { name: 'Mark as done' }).first());
    expect(await page.getByRole('status').textContent()).toBe('The item is marked as done');
    expect(await page.getByText('Note: Welcomed at the office').count()).toBe(1);
    await context.close();

    await scan(hostSchoolEmail, ['/', '/portal/arrivals', '/portal/arrivals?view=week', '/portal/arrivals?view=overdue', `/portal/applications/${id}/checklist`]);
  });

  it('a family accepts the student proposed to it; its pages pass the scan', async () => {
    const family = await vettedFamily(t, exchange.receiving.coordinator, { displayName: 'Kuznetsov family', availableFrom: dayFromToday(-60) });
    const member = await familyUser(t, exchange.receiving.institutionId, family.id);
    const [{ application }] = await acceptedApplications(t, exchange, 1, { dateOfBirth: '2000-05-01', matchingProfile: profile({ diet: ['vegetarian'], allergies: ['peanuts'] }) });
    const placement = await proposedPlacement(t, exchange.receiving.coordinator, { applicationId: application.id, hostFamilyId: family.id });
    const context = await newContext(browser, t.baseUrl);
    const page = await context.newPage();
    await signInAs(page, member.user.email, PASSWORD);
    await page.getByRole('link', { name: 'Answer' }).first().click();
    expect(await page.getByText('peanuts').count()).toBeGreaterThan(0);
    // The decline dialog opens from the keyboard, its reason labelled and required.
    await page.getByText('Decline…').focus();
    await page.keyboard.press('Enter');
    expect(await page.getByLabel('Reason (required)').isVisible()).toBe(true);
    await submit(page, page.getByRole('button', { name: 'Accept this student' }));
    expect(await page.getByRole('status').textContent()).toContain('You accepted the student');
    await context.close();

    await scan(member.user.email, ['/', `/portal/placements/${placement.id}`, '/portal/my-family']);
  });

  it("the admin's and the accounts pages pass the scan", async () => {
    const [institution] = await t.dataSource.query('SELECT id FROM institutions LIMIT 1');
    await scan(adminEmail, ['/', '/portal/admin/institutions', '/portal/admin/institutions/new', `/portal/admin/institutions/${institution.id}`, '/portal/users', '/portal/users/new', '/portal/admin/audit', '/portal/arrivals']);
    await scan(exchange.receiving.coordinator.user.email, ['/portal/users/new', '/portal/arrivals?view=week']);
  });
});
