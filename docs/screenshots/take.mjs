// Takes the README's screenshots of the portal from a running demo (`npm start`, fresh data):
//   node docs/screenshots/take.mjs [http://127.0.0.1:3000]
// with Debian's chromium (or CHROMIUM_PATH) driven by playwright-core.
import { chromium } from 'playwright-core';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const here = dirname(fileURLToPath(import.meta.url));
const password = 'exchange-demo-2026';
const shots = [
  { email: 'student@univ-lorraine.example', pages: [['student-home', '/'], ['student-programmes', '/portal/my/programs']] },
  { email: 'coordinator@kubsu.example', pages: [['coordinator-home', '/'], ['coordinator-incoming', '/portal/applications?direction=incoming']] },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const { email, pages } of shots) {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1200, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await Promise.all([page.waitForNavigation(), page.locator('form[action="/sign-in"] button[type="submit"]').click()]);
    for (const [name, path] of pages) {
      await page.goto(path);
      await page.screenshot({ path: join(here, `${name}.png`), fullPage: false });
    }
    await context.close();
  }
} finally {
  await browser.close();
}
