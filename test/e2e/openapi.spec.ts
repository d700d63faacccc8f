import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../harness/app.js';

/**
 * swagger-parser loads ES-only modules through require(), which Jest on Node 20 cannot do:
 * it runs in a plain Node process and reports the number of paths it validated.
 */
function validateOpenApi(document: unknown): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'document.json');
  writeFileSync(file, JSON.stringify(document));
  const script = `import('@apidevtools/swagger-parser').then(async ({ default: parser }) => {
    const api = await parser.validate(${JSON.stringify(file)});
    console.log(Object.keys(api.paths).length);
  }).catch((error) => { console.error(error.message); process.exit(1); });`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: process.cwd() });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** The served OpenAPI document is a valid OpenAPI 3 document (structure, $refs, schemas). */
describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('validates as OpenAPI 3', async () => {
    const document = (await t.api.get('/api/docs-json')).body;
    expect(document.openapi).toMatch(/^3\./);
    const { status, output } = validateOpenApi(document);
    expect(output).toMatch(/^\d+$/);
    expect(status).toBe(0);
    expect(Number(output)).toBeGreaterThan(30);
  });

  it('names every route of SPEC section 5 that exists', async () => {
    const paths = Object.keys((await t.api.get('/api/docs-json')).body.paths);
    for (const path of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/me',
      '/api/v1/me/export',
      '/api/v1/me/erase',
      '/api/v1/users',
      '/api/v1/institutions',
      '/api/v1/institutions/{id}',
      '/api/v1/agreements',
      '/api/v1/agreements/{id}',
      '/api/v1/agreements/{id}/approve',
      '/api/v1/agreements/{id}/terminate',
      '/api/v1/programs',
      '/api/v1/programs/{id}',
      '/api/v1/programs/{id}/publish',
      '/api/v1/programs/{id}/close',
      '/api/v1/programs/{id}/cancel',
      '/api/v1/applications',
      '/api/v1/applications/{id}',
      '/api/v1/applications/{id}/history',
      '/api/v1/applications/{id}/check-in',
      '/api/v1/applications/{id}/documents',
      '/api/v1/documents/{id}/content',
      '/api/v1/documents/{id}',
      '/api/v1/applications/{id}/learning-agreement',
      '/api/v1/applications/{id}/learning-agreement/sign',
      '/api/v1/applications/{id}/learning-agreement/versions',
      '/api/v1/host-families',
      '/api/v1/host-families/{id}',
      '/api/v1/host-families/{id}/vet',
      '/api/v1/host-families/{id}/suspend',
      '/api/v1/host-families/{id}/export',
      '/api/v1/host-families/{id}/erase',
      '/api/v1/applications/{id}/host-family-matches',
      '/api/v1/placements',
      '/api/v1/placements/{id}',
      '/api/v1/placements/{id}/accept',
      '/api/v1/placements/{id}/decline',
      '/api/v1/placements/{id}/cancel',
      '/api/v1/placements/{id}/end',
      '/api/v1/applications/{id}/travel',
      '/api/v1/arrivals',
      '/api/v1/arrivals.ics',
      '/api/v1/applications/{id}/checklist',
      '/api/v1/checklist-items/{id}/complete',
      '/api/v1/applications/{id}/complete',
      '/api/v1/notifications',
      '/api/v1/notifications/{id}/read',
      '/api/v1/notifications/read-all',
      '/api/v1/reports/flows',
      '/api/v1/audit',
      '/api/v1/audit/verify',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
