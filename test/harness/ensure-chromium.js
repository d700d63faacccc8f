// Before the tests: the portal's browser tests need Debian's Chromium (playwright-core
// downloads no browser of its own). Installed here when it is missing and this user may
// (root, or password-less sudo); otherwise the browser tests say how to get it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path) && existsSync('/usr/bin/apt-get')) {
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (root || sudo) {
    const run = (args) => execFileSync(root ? args[0] : 'sudo', root ? args.slice(1) : ['-n', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    process.stdout.write('Installing Debian\'s chromium for the browser tests (once)...\n');
    try {
      run(['apt-get', 'update', '-qq']);
      run(['apt-get', 'install', '-y', '-qq', 'chromium']);
    } catch (error) {
      process.stdout.write(`Could not install chromium (${error.message}); the browser tests will fail until it is installed.\n`);
    }
  }
}
