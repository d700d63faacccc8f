/**
 * The portal in a real headless Chromium: signing in and out, registering, the language
 * switch, and the accessibility of these pages (axe-core, at desktop and phone widths).
 */
import type { Browser } from 'playwright-core';

/** What the page's own scripts see (these run in the browser, not in Node). */
declare const document: { documentElement: { scrollWidth: number }; activeElement: { textContent: string | null } | null };
declare function getComputedStyle(element: unknown): { outlineStyle: string };
import { heading, launchBrowser, newContext, seriousViolations, signInAs, submit } from '../harness/browser.js';
import { newInstitution, newUser, PASSWORD } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/app.js';

describe('portal in a browser: sign-in, registration, language', () => {
  let t: TestApp;
  let browser: Browser;
  let institutionId: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    institutionId = (await newInstitution(t.dataSource, { name: 'Université de Lorraine', city: 'Nancy' })).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a student registers, lands signed in on the home page, signs out', async () => {
    const context = await newContext(browser, t.baseUrl);
    const page = await context.newPage();
    await page.goto('/');
    await page.waitForURL('**/sign-in?next=%2F');
    await page.getByRole('link', { name: 'Create a student account' }).first().click();
    await page.getByLabel('Full name').fill('Zoé Browser');
    await page.getByLabel('E-mail').fill('zoe.browser@example.org');
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Home institution').selectOption({ label: 'Université de Lorraine (Nancy)' });
    await submit(page, page.getByRole('button', { name: 'Create my account' }));
    // The refusal names the field, next to it, and keeps what was typed.
    expect(await page.locator('#password-error').textContent()).toContain('8 to 128');
    expect(await page.getByLabel('Full name').inputValue()).toBe('Zoé Browser');
    await page.getByLabel('Password').fill('a-long-enough-password');
    await submit(page, page.getByRole('button', { name: 'Create my account' }));
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await heading(page)).toBe('Welcome, Zoé Browser');
    await submit(page, page.getByRole('button', { name: 'Sign out' }));
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await context.close();
  });

  it('switches the language, remembered in the account', async () => {
    const user = await newUser(t.dataSource, { role: 'coordinator', institutionId, fullName: 'Ivan Browser' });
    const context = await newContext(browser, t.baseUrl);
    const page = await context.newPage();
    await signInAs(page, user.email, PASSWORD);
    await page.getByLabel('Language').selectOption('ru');
    await submit(page, page.getByRole('button', { name: 'Change' }));
    expect(await heading(page)).toBe('Добро пожаловать, Ivan Browser');
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    const [row] = await t.dataSource.query('SELECT locale FROM users WHERE id = $1', [user.id]);
    expect(row.locale).toBe('ru');
    await page.getByLabel('Язык').selectOption('fr');
    await submit(page, page.getByRole('button', { name: 'Сменить' }));
    expect(await heading(page)).toBe('Bienvenue, Ivan Browser');
    await context.close();
  });

  it('the sign-in and registration pages have no serious accessibility violation, on a desktop and on a 375 px phone', async () => {
    for (const width of [1280, 375]) {
      const context = await newContext(browser, t.baseUrl, { width });
      const page = await context.newPage();
      for (const path of ['/sign-in', '/register']) {
        await page.goto(path);
        expect({ path, width, violations: await seriousViolations(page) }).toEqual({ path, width, violations: [] });
      }
      // Nothing wider than the screen on a phone.
      if (width === 375) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await context.close();
    }
  });

  it('works with the keyboard alone: skip link, then the form', async () => {
    const user = await newUser(t.dataSource, { role: 'coordinator', institutionId, fullName: 'Keyboard User' });
    const context = await newContext(browser, t.baseUrl);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // The focus is visible (an outline), not only there.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');
    await page.locator('#email').focus();
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await heading(page)).toBe('Welcome, Keyboard User');
    await context.close();
  });
});
