import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Institution, type InstitutionKind } from '../../src/institutions/institution.entity.js';
import { User, type Locale, type Role } from '../../src/users/user.entity.js';
import type { Api } from './api.js';

/** Every factory user has this password. */
export const PASSWORD = 'correct-horse-battery-staple';
let passwordHash: Promise<string> | undefined;
const hashOnce = () => (passwordHash ??= argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 }));

const unique = () => randomBytes(4).toString('hex');

export async function newInstitution(ds: DataSource, overrides: Partial<Institution> = {}): Promise<Institution> {
  const suffix = unique();
  const values = {
    name: `Institution ${suffix}`,
    shortName: `I${suffix}`,
    city: 'Nancy',
    country: 'FR',
    kind: 'university' as InstitutionKind,
    timezone: 'Europe/Paris',
    schacCode: null,
    erasmusCode: null,
    ...overrides,
  };
  const result = await ds.manager.insert(Institution, values);
  return ds.manager.findOneByOrFail(Institution, { id: result.identifiers[0].id as string });
}

export interface NewUser {
  role: Role;
  institutionId?: string | null;
  email?: string;
  fullName?: string;
  locale?: Locale;
  hostFamilyId?: string | null;
}

export async function newUser(ds: DataSource, options: NewUser): Promise<User> {
  const result = await ds.manager.insert(User, {
    email: options.email ?? `${options.role}.${unique()}@test.example`,
    fullName: options.fullName ?? `Test ${options.role}`,
    role: options.role,
    institutionId: options.institutionId ?? null,
    hostFamilyId: options.hostFamilyId ?? null,
    locale: options.locale ?? 'en',
    passwordHash: await hashOnce(),
  });
  return ds.manager.findOneByOrFail(User, { id: result.identifiers[0].id as string });
}

export const newStudent = (ds: DataSource, institutionId: string, extra: Partial<NewUser> = {}) => newUser(ds, { role: 'student', institutionId, ...extra });
export const newCoordinator = (ds: DataSource, institutionId: string, extra: Partial<NewUser> = {}) => newUser(ds, { role: 'coordinator', institutionId, ...extra });
export const newAdmin = (ds: DataSource) => newUser(ds, { role: 'admin' });

export interface Session {
  user: User;
  token: string;
  refreshToken: string;
}

/** Signs in over HTTP as that user. */
export async function login(api: Api, user: Pick<User, 'email'> & Partial<User>): Promise<Session> {
  const response = await api.post('/auth/login', { email: user.email, password: PASSWORD });
  if (response.status !== 200) throw new Error(`login of ${user.email} failed: ${response.status} ${response.text}`);
  return { user: user as User, token: response.body.accessToken, refreshToken: response.body.refreshToken };
}

/** Makes a user of that role and signs in. */
export async function signedIn(ds: DataSource, api: Api, options: NewUser): Promise<Session> {
  const user = await newUser(ds, options);
  const session = await login(api, user);
  return { ...session, user };
}

/**
 * Two institutions with one user of each role at each, signed in: the usual cast of an
 * authorization test ("own" vs "other").
 */
export async function cast(ds: DataSource, api: Api) {
  const home = await newInstitution(ds, { name: `Home ${unique()}` });
  const other = await newInstitution(ds, { name: `Other ${unique()}`, country: 'RU', city: 'Krasnodar', timezone: 'Europe/Moscow' });
  const make = (role: Role, institutionId: string | null) => signedIn(ds, api, { role, institutionId });
  const [admin, coordinator, otherCoordinator, hostSchool, hostFamily, student, otherStudent] = await Promise.all([
    make('admin', null),
    make('coordinator', home.id),
    make('coordinator', other.id),
    make('host_school', home.id),
    make('host_family', home.id),
    make('student', home.id),
    make('student', other.id),
  ]);
  return { home, other, admin, coordinator, otherCoordinator, hostSchool, hostFamily, student, otherStudent };
}
