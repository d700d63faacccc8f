/**
 * How much the fuzzer runs, and from which seed.
 *
 * - FUZZ_PROFILE: `quick` (default; part of `npm test`, under a minute) or `long`
 *   (`npm run test:fuzz`, about ten minutes).
 * - FUZZ_SEED: the seed of the run (an integer); a random one, printed, by default. Each
 *   property (a route as a role) runs from a seed derived from it and its name, so that
 *   one seed replays every property.
 * - FUZZ_PATH: the path of a counterexample, as printed on a failure: with FUZZ_SEED,
 *   replays that request (and goes on shrinking it) instead of a whole run: every
 *   property sends the one request at that path of its own seed, or none when the path
 *   does not fit its values.
 * - FUZZ_ONLY: only the properties whose name (`POST /api/v1/users as student`) contains it.
 * - FUZZ_RUNS: requests per property, instead of the profile's.
 */
export type ProfileName = 'quick' | 'long';

export interface Profile {
  name: ProfileName;
  /** requests per property (one route as one role) */
  numRuns: number;
  /** the jest timeout of one route's test (every role) */
  testTimeoutMs: number;
  /** longest wait for one answer before it counts as a hang */
  requestTimeoutMs: number;
}

const PROFILES: Record<ProfileName, Omit<Profile, 'name'>> = {
  quick: { numRuns: 3, testTimeoutMs: 120_000, requestTimeoutMs: 15_000 },
  long: { numRuns: 80, testTimeoutMs: 1_800_000, requestTimeoutMs: 15_000 },
};

function integer(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be an integer (got "${raw}")`);
  return Number(raw);
}

function profileOf(raw: string | undefined): ProfileName {
  if (raw === undefined || raw === '' || raw === 'quick') return 'quick';
  if (raw === 'long') return 'long';
  throw new Error(`FUZZ_PROFILE must be quick or long (got "${raw}")`);
}

const name = profileOf(process.env.FUZZ_PROFILE);
const runs = integer('FUZZ_RUNS', process.env.FUZZ_RUNS);
export const PROFILE: Profile = { name, ...PROFILES[name], ...(runs !== undefined ? { numRuns: runs } : {}) };

export const SEED: number = integer('FUZZ_SEED', process.env.FUZZ_SEED) ?? Math.floor(Math.random() * 2 ** 31);
export const PATH: string | undefined = process.env.FUZZ_PATH || undefined;
export const ONLY: string | undefined = process.env.FUZZ_ONLY || undefined;

/** FNV-1a: the seed of one property, from the run's seed and the property's name. */
export function seedOf(propertyName: string): number {
  let hash = 0x811c9dc5;
  for (const char of propertyName) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ SEED) | 0;
}
