/**
 * Beds taken on the days of a stay (src/placements/occupancy.ts): the peak over a range of
 * days, both ends included, and whether one more stay fits; checked on the cases a
 * coordinator meets and against a day-by-day count on many random small cases.
 */
import { addDays, daysBetween } from '../../src/common/calendar.js';
import { fits, peakOccupancy, type Stay } from '../../src/placements/occupancy.js';

const stay = (startsOn: string, endsOn: string): Stay => ({ startsOn, endsOn });

/** The same question answered the slow way: every day of [from, to] counted; the first day of the highest count. */
function bruteForce(stays: readonly Stay[], from: string, to: string): { peak: number; day: string } {
  let best = { peak: 0, day: from };
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const taken = stays.filter((s) => s.startsOn <= day && day <= s.endsOn).length;
    if (taken > best.peak) best = { peak: taken, day };
  }
  return best;
}

/** A small seeded generator (mulberry32): the same cases on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('peakOccupancy and fits', () => {
  describe('two beds: A 1–30 September, B 15 September–15 October', () => {
    const taken = [stay('2027-09-01', '2027-09-30'), stay('2027-09-15', '2027-10-15')];

    it('C, 20–25 September, does not fit: A and B take both beds on each of its days', () => {
      expect(peakOccupancy(taken, '2027-09-20', '2027-09-25')).toEqual({ peak: 2, day: '2027-09-20' });
      expect(fits(taken, 2, '2027-09-20', '2027-09-25')).toBe(false);
      expect(fits(taken, 3, '2027-09-20', '2027-09-25')).toBe(true);
    });

    it('D, 1–10 October, fits: only B is there then', () => {
      expect(peakOccupancy(taken, '2027-10-01', '2027-10-10')).toEqual({ peak: 1, day: '2027-10-01' });
      expect(fits(taken, 2, '2027-10-01', '2027-10-10')).toBe(true);
    });

    it('with C placed, D still fits, and a stay over all of September does not', () => {
      const withC = [...taken, stay('2027-09-20', '2027-09-25')];
      expect(peakOccupancy(withC, '2027-09-01', '2027-10-31')).toEqual({ peak: 3, day: '2027-09-20' });
      expect(fits(withC, 3, '2027-10-01', '2027-10-10')).toBe(true);
      expect(fits(taken, 2, '2027-09-01', '2027-09-30')).toBe(false);
    });

    it('the peak is on the first day it is reached, which may be a placement’s first day inside the range', () => {
      expect(peakOccupancy(taken, '2027-09-01', '2027-09-30')).toEqual({ peak: 2, day: '2027-09-15' });
      expect(peakOccupancy(taken, '2027-08-01', '2027-08-31')).toEqual({ peak: 0, day: '2027-08-01' });
      expect(peakOccupancy(taken, '2027-10-16', '2027-12-31')).toEqual({ peak: 0, day: '2027-10-16' });
    });
  });

  describe('the last day is included: a stay ending on 30 September and one starting on it share that night', () => {
    const september = [stay('2027-09-01', '2027-09-30')];

    it('touching on one day overlaps', () => {
      expect(peakOccupancy(september, '2027-09-30', '2027-10-31')).toEqual({ peak: 1, day: '2027-09-30' });
      expect(fits(september, 1, '2027-09-30', '2027-10-31')).toBe(false);
      expect(peakOccupancy(september, '2027-08-01', '2027-09-01')).toEqual({ peak: 1, day: '2027-09-01' });
      expect(fits(september, 1, '2027-08-01', '2027-09-01')).toBe(false);
    });

    it('the day after does not', () => {
      expect(peakOccupancy(september, '2027-10-01', '2027-10-31')).toEqual({ peak: 0, day: '2027-10-01' });
      expect(fits(september, 1, '2027-10-01', '2027-10-31')).toBe(true);
      expect(fits(september, 1, '2027-08-01', '2027-08-31')).toBe(true);
    });

    it('one-day stays and ranges count', () => {
      const oneNight = [stay('2027-09-10', '2027-09-10')];
      expect(peakOccupancy(oneNight, '2027-09-10', '2027-09-10')).toEqual({ peak: 1, day: '2027-09-10' });
      expect(peakOccupancy(oneNight, '2027-09-01', '2027-09-30')).toEqual({ peak: 1, day: '2027-09-10' });
      expect(peakOccupancy(oneNight, '2027-09-11', '2027-09-11')).toEqual({ peak: 0, day: '2027-09-11' });
    });
  });

  it('no stays: nothing taken, the peak day is the first of the range', () => {
    expect(peakOccupancy([], '2027-09-01', '2027-09-30')).toEqual({ peak: 0, day: '2027-09-01' });
    expect(fits([], 1, '2027-09-01', '2027-09-30')).toBe(true);
  });

  it('stays that end before the range or start after it take nothing', () => {
    const outside = [stay('2027-01-01', '2027-08-31'), stay('2027-10-01', '2027-12-31')];
    expect(peakOccupancy(outside, '2027-09-01', '2027-09-30')).toEqual({ peak: 0, day: '2027-09-01' });
  });

  it('stays starting before the range count from its first day', () => {
    const early = [stay('2027-08-01', '2027-09-05'), stay('2027-08-15', '2027-09-02'), stay('2027-09-03', '2027-09-10')];
    expect(peakOccupancy(early, '2027-09-01', '2027-09-30')).toEqual({ peak: 2, day: '2027-09-01' });
  });

  it('identical stays add up', () => {
    const same = Array.from({ length: 4 }, () => stay('2027-09-01', '2027-09-30'));
    expect(peakOccupancy(same, '2027-09-15', '2027-09-15')).toEqual({ peak: 4, day: '2027-09-15' });
    expect(fits(same, 4, '2027-09-15', '2027-09-15')).toBe(false);
    expect(fits(same, 5, '2027-09-15', '2027-09-15')).toBe(true);
  });

  it('agrees with a day-by-day count on 3000 random small cases (peak and its first day)', () => {
    const random = prng(20270901);
    const base = '2027-09-01';
    const day = (max: number) => addDays(base, Math.floor(random() * max));
    const disagreements: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      const stays = Array.from({ length: Math.floor(random() * 7) }, () => {
        const startsOn = day(40);
        return stay(startsOn, addDays(startsOn, Math.floor(random() * 15)));
      });
      const from = day(45);
      const to = addDays(from, Math.floor(random() * 20));
      const expected = bruteForce(stays, from, to);
      const result = peakOccupancy(stays, from, to);
      const capacity = 1 + Math.floor(random() * 4);
      const fit = fits(stays, capacity, from, to);
      if (result.peak !== expected.peak || result.day !== expected.day || fit !== expected.peak < capacity) disagreements.push({ stays, from, to, capacity, result, fit, expected });
    }
    expect(disagreements).toEqual([]);
  });

  it('crosses months and years as calendar days', () => {
    const winter = [stay('2027-12-20', '2028-01-05'), stay('2027-12-31', '2028-01-01')];
    expect(peakOccupancy(winter, '2027-12-01', '2028-01-31')).toEqual({ peak: 2, day: '2027-12-31' });
    expect(daysBetween('2027-12-20', '2028-01-05')).toBe(16);
    const leap = [stay('2028-02-28', '2028-02-29'), stay('2028-02-29', '2028-03-01')];
    expect(peakOccupancy(leap, '2028-02-01', '2028-03-31')).toEqual({ peak: 2, day: '2028-02-29' });
  });
});
