/**
 * The coordinators' agreements, programmes and flows report in a real headless Chromium:
 * an agreement proposed through its form (a quota row refused first), and the
 * accessibility of every page (axe-core), on a desktop and on a 375 px phone.
 */
import type { Browser } from 'playwright-core';
import { acceptedApplication, newStudents } from '../harness/applications.js';
import { heading, launchBrowser, newContext, seriousViolations, signInAs, submit } from '../harness/browser.js';
import { PASSWORD } from '../harness/factories.js';
import { ACADEMIC_YEAR, activeAgreement, AGREEMENT_ENDS_ON, AGREEMENT_STARTS_ON, newPartner, newProgram, publishedProgram, quotasBothWays, type Partner } from '../harness/partnerships.js';
import { startTestApp, type TestApp } from '../harness/app.js';

/** What the page's own scripts see (these run in the browser, not in Node). */
declare const document: { documentElement: { scrollWidth: number } };

describe('portal in a browser: agreements, programmes, flows report', () => {
  let t: TestApp;
  let browser: Browser;
  let lorraine: Partner;
  let kuban: Partner;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    lorraine = await newPartner(t, { name: 'Université de Lorraine', shortName: 'UL' });
    kuban = await newPartner(t, { name: 'Kuban State University', shortName: 'KubSU', country: 'RU', city: 'Krasnodar', timezone: 'Europe/Moscow' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a coordinator proposes an agreement through the form, its refused quota row corrected', async () => {
    const context = await newContext(browser, t.baseUrl);
    const page = await context.newPage();
    await signInAs(page, lorraine.coordinator.user.email, PASSWORD);
    await page.getByRole('link', { name: 'Agreements' }).click();
    await page.getByRole('link', { name: 'Propose an agreement' }).click();
    expect(await heading(page)).toBe('Propose an agreement');
    await page.getByLabel('Title').fill('Lorraine – Kuban, browser');
    await page.getByLabel('Partner institution', { exact: true }).selectOption({ label: 'Kuban State University' });
    await page.getByLabel('Starts on').fill(AGREEMENT_STARTS_ON);
    await page.getByLabel('Ends on').fill(AGREEMENT_ENDS_ON);
    await page.getByLabel('From, row 1').selectOption({ label: 'Université de Lorraine' });
    await page.getByLabel('To, row 1').selectOption({ label: 'Kuban State University' });
    await page.getByLabel('Academic year, row 1').fill(ACADEMIC_YEAR);
    await page.getByLabel('Seats, row 1').fill('3');
    await page.getByLabel('From, row 2').selectOption({ label: 'Kuban State University' });
    await page.getByLabel('To, row 2').selectOption({ label: 'Kuban State University' });
    await page.getByLabel('Academic year, row 2').fill(ACADEMIC_YEAR);
    await page.getByLabel('Seats, row 2').fill('3');
    await submit(page, page.getByRole('button', { name: 'Propose the agreement' }));
    expect(await page.locator('#q1-to-error').textContent()).toBe('must differ from the other institution');
    expect(await page.getByLabel('To, row 2').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Seats, row 1').inputValue()).toBe('3');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('To, row 2').selectOption({ label: 'Université de Lorraine' });
    await submit(page, page.getByRole('button', { name: 'Propose the agreement' }));
    expect(await heading(page)).toBe('Lorraine – Kuban, browser');
    expect(await page.getByRole('status').textContent()).toContain('The agreement is proposed');
    await submit(page, page.getByRole('button', { name: 'Approve this version' }));
    expect(await page.getByRole('status').textContent()).toBe('Your approval is recorded');
    // The termination dialog opens from the keyboard, its reason labelled.
    await page.getByText('Terminate the agreement…').focus();
    await page.keyboard.press('Enter');
    expect(await page.getByLabel('Reason (required)').isVisible()).toBe(true);
    await context.close();
  });

  it('every page has no serious accessibility violation and fits a 375 px phone', async () => {
    const agreement = await activeAgreement(t, { partners: [lorraine, kuban], quotas: quotasBothWays([lorraine.institutionId, kuban.institutionId], 5) });
    const program = await publishedProgram(t, lorraine.coordinator, agreement.id, lorraine.institutionId, kuban.institutionId, { seats: 3, requiredDocuments: [], requiresLearningAgreement: false });
    const draft = await newProgram(t, kuban.coordinator, agreement.id, kuban.institutionId, lorraine.institutionId, { seats: 2 });
    const [student] = await newStudents(t, lorraine.institutionId, 1);
    await acceptedApplication(t, student, program, { sending: lorraine.coordinator, receiving: kuban.coordinator });
    const paths = [
      '/portal/agreements',
      '/portal/agreements/new',
      `/portal/agreements/${agreement.id}`,
      `/portal/agreements/${agreement.id}/edit`,
      '/portal/programs',
      '/portal/programs/new',
      `/portal/programs/${program.id}`,
      `/portal/programs/${draft.id}/edit`,
      `/portal/reports/flows?academicYear=${encodeURIComponent(ACADEMIC_YEAR)}`,
    ];
    for (const width of [1280, 375]) {
      const context = await newContext(browser, t.baseUrl, { width });
      const page = await context.newPage();
      await signInAs(page, kuban.coordinator.user.email, PASSWORD);
      for (const path of paths) {
        const response = await page.goto(path);
        expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
        expect({ path, width, violations: await seriousViolations(page) }).toEqual({ path, width, violations: [] });
        if (width === 375) expect({ path, scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, scrollWidth: 375 });
      }
      // The chart is an image with a name, drawn by the server.
      await page.goto(paths[paths.length - 1]);
      expect(await page.getByRole('img', { name: 'Bar chart: quota, seats offered and students placed per direction' }).count()).toBe(1);
      await context.close();
    }
  });
});
