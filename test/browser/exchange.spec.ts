/**
 * One exchange from end to end in a real headless Chromium, on a fresh database, every
 * step through the portal by the person whose step it is: a student registers, applies
 * with a real PDF and submits; the sending coordinator nominates; the receiving coordinator
 * accepts; the student confirms and gives its travel; the receiving coordinator matches a
 * family and proposes it; the family accepts; the host school checks the student in and
 * completes an item of the checklist. Along the way: axe-core on every page visited, a
 * form without its CSRF token refused, another student's page answering 404, and the pages
 * in French and Russian.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { stayBegun } from '../harness/applications.js';
import { heading, launchBrowser, newContext, seriousViolations, signInAs, submit } from '../harness/browser.js';
import { newUser, PASSWORD } from '../harness/factories.js';
import { familyUser, homestayExchange, vettedFamily } from '../harness/host-families.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { PDF } from '../harness/uploads.js';

describe('portal in a browser: one exchange from application to check-in', () => {
  let t: TestApp;
  let browser: Browser;
  let exchange: Awaited<ReturnType<typeof homestayExchange>>;
  let familyEmail: string;
  let hostSchoolEmail: string;
  const contexts: BrowserContext[] = [];
  /** Every page visited, with who visited it: scanned by axe-core at the end. */
  const visited: { email: string; path: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    exchange = await homestayExchange(t, { program: { title: 'Lycée exchange in Krasnodar', requiredDocuments: ['transcript'] }, receiving: { name: 'Gymnasium No. 36' } });
    const family = await vettedFamily(t, exchange.sides.receiving, { displayName: 'The Kuznetsovs', capacity: 2, languages: ['ru', 'fr'] });
    familyEmail = (await familyUser(t, exchange.receiving.institutionId, family.id)).user.email;
    hostSchoolEmail = (await newUser(t.dataSource, { role: 'host_school', institutionId: exchange.receiving.institutionId })).email;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function as(email: string | null): Promise<Page> {
    const context = await newContext(browser, t.baseUrl);
    contexts.push(context);
    const page = await context.newPage();
    page.on('load', () => {
      const path = new URL(page.url()).pathname;
      if (email && !visited.some((v) => v.email === email && v.path === path)) visited.push({ email, path });
    });
    if (email) await signInAs(page, email, email === studentEmail ? STUDENT_PASSWORD : PASSWORD);
    return page;
  }

  const STUDENT_PASSWORD = 'a-long-enough-password';
  const status = async (page: Page) => ((await page.getByRole('status').first().textContent()) ?? '').trim();
  let studentEmail = '';
  let applicationId = '';

  it('a student registers, applies with a real PDF and submits', async () => {
    const page = await as(null);
    await page.goto('/register');
    studentEmail = `chloe.${Date.now()}@lycee.example`;
    await page.getByLabel('Full name').fill('Chloé Moreau');
    await page.getByLabel('E-mail').fill(studentEmail);
    await page.getByLabel('Password').fill(STUDENT_PASSWORD);
    await page.getByLabel('Home institution').selectOption(exchange.sending.institutionId);
    await submit(page, page.getByRole('button', { name: 'Create my account' }));
    expect(await heading(page)).toBe('Welcome, Chloé Moreau');
    page.on('load', () => {
      const path = new URL(page.url()).pathname;
      if (!visited.some((v) => v.email === studentEmail && v.path === path)) visited.push({ email: studentEmail, path });
    });

    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Programmes' }).click();
    await submit(page, page.getByRole('button', { name: /^Apply\s?: Lycée exchange in Krasnodar$/ }));
    applicationId = /\/portal\/applications\/([0-9a-f-]{36})\//.exec(page.url())![1];
    await page.getByLabel('Motivation').fill('To learn Russian with a family, and to see the Kuban.');
    await page.getByLabel('Date of birth').fill('2009-03-14');
    await submit(page, page.getByRole('button', { name: 'Save the draft' }));
    expect(await status(page)).toBe('Saved');

    await page.getByRole('navigation', { name: "This application's pages" }).getByRole('link', { name: 'Documents' }).click();
    await page.getByLabel('Type of document').selectOption('transcript');
    await page.getByLabel('File').setInputFiles({ name: 'bulletin.pdf', mimeType: 'application/pdf', buffer: PDF });
    await submit(page, page.getByRole('button', { name: 'Upload', exact: true }));
    expect(await status(page)).toBe('The document is uploaded.');
    await submit(page, page.getByRole('button', { name: 'Submit my application' }));
    expect(await status(page)).toBe('Your application is submitted.');
  });

  it('the sending coordinator nominates it; the receiving coordinator accepts it', async () => {
    const sending = await as(exchange.sides.sending.user.email);
    await sending.getByRole('link', { name: 'Outgoing applications to nominate' }).click();
    await sending.getByRole('link', { name: 'Chloé Moreau' }).click();
    await submit(sending, sending.getByRole('button', { name: 'Nominate' }));
    expect(await status(sending)).toBe('The application is nominated');

    const receiving = await as(exchange.sides.receiving.user.email);
    await receiving.getByRole('link', { name: 'Incoming applications to accept' }).click();
    await receiving.getByRole('link', { name: 'Chloé Moreau' }).click();
    await submit(receiving, receiving.getByRole('button', { name: 'Accept' }));
    expect(await status(receiving)).toBe('The application is accepted');
  });

  it('the student confirms its place', async () => {
    const page = await as(studentEmail);
    await page.goto(`/portal/applications/${applicationId}`);
    await submit(page, page.getByRole('button', { name: 'Confirm my place' }));
    expect((await t.dataSource.query('SELECT status FROM applications WHERE id = $1', [applicationId]))[0].status).toBe('confirmed');
  });

  it('the receiving coordinator finds a family and proposes it; the family accepts', async () => {
    const receiving = await as(exchange.sides.receiving.user.email);
    await receiving.goto(`/portal/applications/${applicationId}`);
    await receiving.getByRole('link', { name: 'Find a family' }).click();
    expect(await receiving.getByText('The Kuznetsovs').count()).toBeGreaterThan(0);
    await submit(receiving, receiving.getByRole('button', { name: 'Propose this family' }).first());
    expect(await status(receiving)).toContain('The family is proposed');

    const family = await as(familyEmail);
    await family.getByRole('link', { name: 'Answer' }).first().click();
    expect(await family.getByText('Chloé Moreau').count()).toBeGreaterThan(0);
    await submit(family, family.getByRole('button', { name: 'Accept this student' }));
    expect(await status(family)).toContain('You accepted the student');
  });

  it('the student gives its travel; the host school checks it in and completes an item of the checklist', async () => {
    await stayBegun(t, exchange.program.id);
    const student = await as(studentEmail);
    await student.goto(`/portal/applications/${applicationId}/travel`);
    // Earlier today on the receiving institution's clock (Moscow): up to an hour ago, never yesterday (today's board shows it).
    const moscow = (at: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(at);
    const [hour, minute] = moscow(new Date()).slice(11).split(':').map(Number);
    const local = moscow(new Date(Date.now() - Math.min(60, Math.max(0, hour * 60 + minute - 1)) * 60_000));
    await student.locator('#arrivalAt').fill(local.replace(' ', 'T'));
    await student.getByLabel('Means of transport').selectOption('plane');
    await student.getByLabel('Flight or train number (optional)').fill('SU 1140');
    await student.getByLabel('Where you arrive').fill('Krasnodar airport (KRR)');
    await student.getByLabel('I need to be picked up when I arrive').check();
    await submit(student, student.getByRole('button', { name: 'Save my travel details' }));
    expect(await status(student)).toBe('Your travel details are saved.');
    // The family the student will live with, now that it has accepted.
    expect(await student.getByText('The Kuznetsovs').count()).toBeGreaterThan(0);

    const school = await as(hostSchoolEmail);
    await school.getByRole('link', { name: 'Arrivals', exact: true }).click();
    expect(await school.getByText('Chloé Moreau').count()).toBeGreaterThan(0);
    await submit(school, school.locator(`form[action="/portal/arrivals/${applicationId}/check-in"] button[type="submit"]`));
    expect(await status(school)).toBe('The arrival is checked in');
    await school.locator(`a[href="/portal/applications/${applicationId}/checklist"]`).first().click();
    await school.locator('details.dialog summary').first().click();
    await school.getByLabel('Note (optional)').first().fill('Orientation day done');
    await submit(school, school.getByRole('button', { name: 'Mark as done' }).first());
    expect(await status(school)).toBe('The item is marked as done');
    const [row] = await t.dataSource.query("SELECT status FROM applications WHERE id = $1", [applicationId]);
    expect(row.status).toBe('arrived');
  });

  it('refuses a form posted without its CSRF token, and another student reads a 404 for this application', async () => {
    const student = await as(studentEmail);
    await student.goto('/portal/notifications');
    const markAll = student.locator('form[action="/portal/notifications/read-all"]');
    await markAll.locator('input[name="_csrf"]').evaluate((input) => (input as unknown as { remove(): void }).remove());
    await submit(student, markAll.locator('button[type="submit"]'));
    expect(await heading(student)).toBe('Something is wrong');
    expect(await student.getByRole('alert').textContent()).toContain('This form has expired or did not come from this site');

    const other = await newUser(t.dataSource, { role: 'student', institutionId: exchange.sending.institutionId });
    const stranger = await as(other.email);
    const response = await stranger.goto(`/portal/applications/${applicationId}`);
    expect(response?.status()).toBe(404);
    expect(await stranger.getByRole('alert').textContent()).toBe('This page does not exist, or it is not yours to see');
  });

  it('shows the pages in French and in Russian', async () => {
    const page = await as(exchange.sides.receiving.user.email);
    await page.getByLabel('Language').selectOption('fr');
    await submit(page, page.getByRole('button', { name: 'Change' }));
    await page.goto(`/portal/applications/${applicationId}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.getByRole('navigation', { name: 'Menu principal' }).count()).toBe(1);
    await page.getByLabel('Langue').selectOption('ru');
    await submit(page, page.getByRole('button', { name: 'Changer' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.getByRole('navigation', { name: 'Главное меню' }).count()).toBe(1);
    expect(await page.getByText('Chloé Moreau').count()).toBeGreaterThan(0);
    await page.getByLabel('Язык').selectOption('en');
    await submit(page, page.getByRole('button', { name: 'Сменить' }));
  });

  it('no page visited has a serious or critical accessibility violation', async () => {
    const byUser = new Map<string, string[]>();
    for (const { email, path } of visited) byUser.set(email, [...(byUser.get(email) ?? []), path]);
    expect(visited.length).toBeGreaterThan(10);
    for (const [email, paths] of byUser) {
      const page = await as(email);
      for (const path of paths) {
        if (path.startsWith('/sign-')) continue;
        // A form's address after a refusal is no page to read again.
        if ((await page.goto(path))?.status() !== 200) continue;
        expect({ email, path, violations: await seriousViolations(page) }).toEqual({ email, path, violations: [] });
      }
    }
  });
});
