/**
 * The student's pages in a real headless Chromium: a student registers, applies, uploads a
 * real PDF through the file input (the progress bar's script sends it), submits; and the
 * accessibility of each of the student's pages (axe-core) on a desktop and on a 375 px phone.
 */
import type { Browser, Page } from 'playwright-core';
import { heading, launchBrowser, newContext, seriousViolations, signInAs, submit } from '../harness/browser.js';
import { login, newUser, PASSWORD } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { apply, exchangeProgram, newExchange, PDF, transition, upload, type Exchange } from '../harness/uploads.js';

/** What the page's own scripts see (these run in the browser, not in Node). */
declare const document: { documentElement: { scrollWidth: number } };

describe('portal in a browser: the student', () => {
  let t: TestApp;
  let browser: Browser;
  let x: Exchange;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    x = await newExchange(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('registers, applies, uploads a PDF with the progress bar, and submits', async () => {
    const program = await exchangeProgram(t, x, { title: 'Semester in Krasnodar', requiredDocuments: ['transcript'] });
    const context = await newContext(browser, t.baseUrl);
    const page: Page = await context.newPage();
    await page.goto('/register');
    await page.getByLabel('Full name').fill('Nina Browser');
    await page.getByLabel('E-mail').fill('nina.browser@test.example');
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByLabel('Home institution').selectOption(x.sending.institutionId);
    await submit(page, page.getByRole('button', { name: 'Create my account' }));
    expect(await heading(page)).toBe('Welcome, Nina Browser');

    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Programmes' }).click();
    expect(await heading(page)).toBe('Programmes open to me');
    await submit(page, page.getByRole('button', { name: /^Apply\s?: Semester in Krasnodar$/ }));
    expect(await page.getByRole('status').textContent()).toContain('Your application is started');
    await page.getByLabel('Motivation').fill('Russian literature, where it was written.');
    await submit(page, page.getByRole('button', { name: 'Save the draft' }));
    expect(await page.getByRole('status').textContent()).toBe('Saved');

    await page.getByRole('navigation', { name: "This application's pages" }).getByRole('link', { name: 'Documents' }).click();
    await page.getByLabel('Type of document').selectOption('transcript');
    await page.getByLabel('File').setInputFiles({ name: 'transcript.pdf', mimeType: 'application/pdf', buffer: PDF });
    // The form's script sends it (XMLHttpRequest, with its progress), then follows the answer's redirect.
    await submit(page, page.getByRole('button', { name: 'Upload', exact: true }));
    expect(await page.getByRole('status').textContent()).toBe('The document is uploaded.');
    expect(await page.getByRole('link', { name: 'transcript.pdf', exact: true }).count()).toBe(1);

    // An upload whose form no longer holds a good token: the refusal page is shown, nothing stored.
    await page.locator('form[data-upload] input[name="_csrf"]').evaluate((input) => ((input as unknown as { value: string }).value = 'expired'));
    await page.getByLabel('File').setInputFiles({ name: 'again.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('This form has expired or did not come from this site').waitFor();
    const [{ n }] = await t.dataSource.query("SELECT count(*)::int AS n FROM documents WHERE file_name = 'again.pdf'");
    expect(n).toBe(0);
    // Still on the documents page's address: reloaded, it is the page again.
    await page.reload();

    await submit(page, page.getByRole('button', { name: 'Submit my application' }));
    expect(await page.getByRole('status').textContent()).toBe('Your application is submitted.');
    const [row] = await t.dataSource.query("SELECT a.status FROM applications a JOIN users u ON u.id = a.student_id WHERE u.email = 'nina.browser@test.example' AND a.program_id = $1", [program.id]);
    expect(row.status).toBe('submitted');
    await context.close();
  });

  it("finds no serious accessibility violation on the student's pages, none wider than a phone", async () => {
    const program = await exchangeProgram(t, x, { title: 'Year abroad', requiredDocuments: ['transcript'], requiresLearningAgreement: true, accommodation: 'host_family' });
    const other = await exchangeProgram(t, x, { title: 'Summer school', requiredDocuments: [] });
    const user = await newUser(t.dataSource, { role: 'student', institutionId: x.sending.institutionId, fullName: 'Axel Scan' });
    const session = { ...(await login(t.api, user)), user };
    const draft = await apply(t, session, program.id);
    expect((await upload(t, session.token, draft.id, 'transcript', 'transcript.pdf', PDF, 'application/pdf')).status).toBe(201);
    const offer = await apply(t, session, other.id);
    for (const [name, by] of [['submit', 'student'], ['nominate', 'sending'], ['accept', 'receiving']] as const) await transition(t, x, session, offer.id, name, by);
    const paths = [
      '/',
      '/portal/my/programs',
      '/portal/my/applications',
      `/portal/applications/${draft.id}/edit`,
      `/portal/applications/${draft.id}/documents`,
      `/portal/applications/${draft.id}/learning-agreement`,
      `/portal/applications/${offer.id}/documents`,
      `/portal/applications/${offer.id}/travel`,
      '/portal/notifications',
      '/portal/me/privacy',
    ];
    for (const width of [1280, 375]) {
      const context = await newContext(browser, t.baseUrl, { width });
      const page = await context.newPage();
      await signInAs(page, user.email, PASSWORD);
      for (const path of paths) {
        const response = await page.goto(path);
        expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
        expect({ path, width, violations: await seriousViolations(page) }).toEqual({ path, width, violations: [] });
        if (width === 375) expect({ path, scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, scrollWidth: 375 });
      }
      // The draft's form with its errors beside their fields.
      await page.goto(`/portal/applications/${draft.id}/edit`);
      await page.locator('[id="languageLevels[0].language"]').selectOption('fr');
      await submit(page, page.getByRole('button', { name: 'Save the draft' }));
      expect(await page.locator('[id="languageLevels[0].level-error"]').count()).toBe(1);
      expect({ width, violations: await seriousViolations(page) }).toEqual({ width, violations: [] });
      await context.close();
    }
  });
});
