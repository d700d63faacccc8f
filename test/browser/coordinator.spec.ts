/**
 * The coordinators' applications and host families in a real headless Chromium: the
 * sending coordinator nominates from its dashboard, the receiving one accepts, opens the
 * reject dialog from the keyboard, registers and vets a family and proposes it from the
 * matches; and the accessibility of every page (axe-core) on a desktop and a 375 px phone.
 */
import type { Browser } from 'playwright-core';
import { submittedApplication } from '../harness/applications.js';
import { heading, launchBrowser, newContext, seriousViolations, signInAs, submit } from '../harness/browser.js';
import { newUser, PASSWORD, type Session } from '../harness/factories.js';
import { acceptedApplications, homestayExchange, profile, STAY, today } from '../harness/host-families.js';
import { startTestApp, type TestApp } from '../harness/app.js';

/** What the page's own scripts see (these run in the browser, not in Node). */
declare const document: { documentElement: { scrollWidth: number } };

describe('portal in a browser: applications and host families', () => {
  let t: TestApp;
  let browser: Browser;
  let exchange: Awaited<ReturnType<typeof homestayExchange>>;
  let student: Session;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    exchange = await homestayExchange(t, { program: { requiredDocuments: ['transcript'], title: 'Semestre à Krasnodar' } });
    const user = await newUser(t.dataSource, { role: 'student', institutionId: exchange.sending.institutionId, fullName: 'Léa Martin' });
    const login = await t.api.post('/auth/login', { email: user.email, password: PASSWORD });
    student = { user, token: login.body.accessToken, refreshToken: login.body.refreshToken };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a submitted application is nominated, accepted and placed with a family registered and vetted through the forms', async () => {
    const application = await submittedApplication(t, student, exchange.program, { dateOfBirth: '2000-05-01', matchingProfile: profile({ languages: ['fr'] }) });

    const sending = await newContext(browser, t.baseUrl);
    const page = await sending.newPage();
    await signInAs(page, exchange.sending.coordinator.user.email, PASSWORD);
    await page.getByRole('link', { name: 'Outgoing applications to nominate' }).click();
    await page.getByRole('link', { name: 'Léa Martin' }).click();
    expect(await heading(page)).toBe('Application of Léa Martin');
    await submit(page, page.getByRole('button', { name: 'Nominate' }));
    expect(await page.getByRole('status').textContent()).toBe('The application is nominated');
    await sending.close();

    const receiving = await newContext(browser, t.baseUrl);
    const coordinator = await receiving.newPage();
    await signInAs(coordinator, exchange.receiving.coordinator.user.email, PASSWORD);
    await coordinator.getByRole('link', { name: 'Incoming applications to accept' }).click();
    await coordinator.getByRole('link', { name: 'Léa Martin' }).click();
    // The reject dialog opens from the keyboard, its reason labelled.
    await coordinator.getByText('Reject…').focus();
    await coordinator.keyboard.press('Enter');
    expect(await coordinator.getByRole('textbox', { name: 'Reason' }).isVisible()).toBe(true);
    await submit(coordinator, coordinator.getByRole('button', { name: 'Accept' }));
    expect(await coordinator.getByRole('status').textContent()).toBe('The application is accepted');

    // A family registered (its bed count refused first, beside its field), then vetted.
    await coordinator.getByRole('link', { name: 'Host families' }).click();
    await coordinator.getByRole('link', { name: 'Register a family' }).click();
    await coordinator.getByLabel('Name').fill('Famille Ivanova');
    await coordinator.getByLabel('E-mail').fill('ivanova@example.org');
    await coordinator.getByLabel('Phone').fill('+7 861 000 00 00');
    await coordinator.getByLabel('Street and number').fill('ul. Krasnaya 1');
    await coordinator.getByLabel('Postal code').fill('350000');
    await coordinator.getByLabel('City').fill('Krasnodar');
    await coordinator.getByLabel('Country').fill('RU');
    await coordinator.getByLabel('Beds for students').fill('0');
    await coordinator.getByLabel('Languages spoken at home').fill('ru, fr');
    await coordinator.getByLabel('Accepts minors').check();
    await coordinator.getByLabel('Available from').fill(STAY.startsOn);
    await coordinator.getByLabel('Available until').fill(STAY.endsOn);
    await submit(coordinator, coordinator.getByRole('button', { name: 'Register a family' }));
    expect(await coordinator.getByLabel('Beds for students').getAttribute('aria-invalid')).toBe('true');
    expect(await coordinator.locator('#capacity-error').textContent()).toBe('must be at least 1');
    expect(await coordinator.getByLabel('Name').inputValue()).toBe('Famille Ivanova');
    expect(await seriousViolations(coordinator)).toEqual([]);
    await coordinator.getByLabel('Beds for students').fill('2');
    await submit(coordinator, coordinator.getByRole('button', { name: 'Register a family' }));
    expect(await heading(coordinator)).toBe('Famille Ivanova');
    await coordinator.getByLabel('Background check on').fill(today());
    await coordinator.getByLabel('Home visit on').fill(today());
    await coordinator.getByLabel('Approved').check();
    await submit(coordinator, coordinator.getByRole('button', { name: 'Record the vetting' }));
    expect(await coordinator.getByRole('status').textContent()).toBe('The vetting is recorded');

    await coordinator.goto(`/portal/applications/${application.id}`);
    await coordinator.getByRole('link', { name: 'Find a family' }).click();
    expect(await heading(coordinator)).toBe('Host families for Léa Martin');
    await submit(coordinator, coordinator.getByRole('button', { name: 'Propose this family' }));
    expect(await coordinator.getByRole('status').textContent()).toContain('The family is proposed');
    expect(await coordinator.getByRole('link', { name: 'Open the placement' }).count()).toBe(1);
    await receiving.close();
  });

  it('every page has no serious accessibility violation and fits a 375 px phone', async () => {
    const [{ application }] = await acceptedApplications(t, exchange, 1);
    const [family] = await t.dataSource.query('SELECT id FROM host_families LIMIT 1');
    const paths = [
      '/',
      '/portal/applications',
      '/portal/applications?direction=incoming&status=accepted',
      `/portal/applications/${application.id}`,
      `/portal/applications/${application.id}/matches`,
      '/portal/host-families',
      '/portal/host-families/new',
      `/portal/host-families/${family.id}`,
      `/portal/host-families/${family.id}/edit`,
    ];
    for (const width of [1280, 375]) {
      const context = await newContext(browser, t.baseUrl, { width });
      const page = await context.newPage();
      await signInAs(page, exchange.receiving.coordinator.user.email, PASSWORD);
      for (const path of paths) {
        const response = await page.goto(path);
        expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
        expect({ path, width, violations: await seriousViolations(page) }).toEqual({ path, width, violations: [] });
        if (width === 375) expect({ path, scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, scrollWidth: 375 });
      }
      await context.close();
    }
  });
});
