import { startTestApp, type TestApp } from '../harness/app.js';
import { cast } from '../harness/factories.js';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers health and lets a user sign in', async () => {
    expect((await t.api.get('/health/ready')).status).toBe(200);
    const people = await cast(t.dataSource, t.api);
    const me = await t.api.get('/me', { token: people.student.token });
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('student');
  });
});
