import { backoffMs } from '../../src/notifications/mail-worker.js';

describe('the pause before a mail is retried', () => {
  it('doubles from the base with up to a quarter of jitter either way, capped at an hour', () => {
    for (let i = 0; i < 200; i++) {
      expect(backoffMs(1, 2000)).toBeGreaterThanOrEqual(1500);
      expect(backoffMs(1, 2000)).toBeLessThanOrEqual(2500);
      expect(backoffMs(4, 2000)).toBeGreaterThanOrEqual(12_000);
      expect(backoffMs(4, 2000)).toBeLessThanOrEqual(20_000);
      expect(backoffMs(40, 2000)).toBeLessThanOrEqual(4_500_000);
      expect(backoffMs(40, 2000)).toBeGreaterThanOrEqual(2_700_000);
    }
  });
});
