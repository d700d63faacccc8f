import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { prepared, PreparedStatements } from '../common/database/prepared-statements.js';
import { paginate, type Page, type PageQuery } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { User, type Role } from './user.entity.js';

export type CallerRow = Pick<User, 'id' | 'role' | 'institutionId' | 'hostFamilyId' | 'locale'>;

/** What a request needs of its caller: the primary key's one row, five columns. */
const CALLER = prepared<CallerRow>(
  'users_caller',
  'SELECT id, role, institution_id AS "institutionId", host_family_id AS "hostFamilyId", locale FROM users WHERE id = $1 AND erased_at IS NULL',
);

/**
 * The caller of a bearer token: CALLER, and only while the token's session (`sid`, the
 * family of refresh tokens it was issued with) is open — one statement per request.
 */
const CALLER_IN_SESSION = prepared<CallerRow>(
  'users_caller_in_session',
  `SELECT u.id, u.role, u.institution_id AS "institutionId", u.host_family_id AS "hostFamilyId", u.locale FROM users u
    WHERE u.id = $1 AND u.erased_at IS NULL
      AND EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = $2 AND r.user_id = u.id AND r.revoked_at IS NULL)`,
);

/** Queries of users; each takes part in the caller's transaction when one is open. */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly statements: PreparedStatements,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.tx.manager.findOne(User, { where: { id } });
  }

  /** The full names of these users, by id (who approved, who signed: for pages that show a person beside an id). */
  async fullNamesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const users = await this.tx.manager.find(User, { where: { id: In(unique) }, select: { id: true, fullName: true } });
    return new Map(users.map((user) => [user.id, user.fullName]));
  }

  /** What a request needs of its caller, read on every authenticated request; an erased account is no caller. */
  findCaller(id: string): Promise<CallerRow | null> {
    return this.statements.first(CALLER, [id]);
  }

  /** The caller of an access token, while its session is open (see CALLER_IN_SESSION). */
  findCallerInSession(id: string, sessionId: string): Promise<CallerRow | null> {
    return this.statements.first(CALLER_IN_SESSION, [id, sessionId]);
  }

  /** With the password hash, for sign-in only. */
  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.tx.manager
      .createQueryBuilder(User, 'user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
  }

  findPasswordHash(id: string): Promise<string | null> {
    return this.tx.manager
      .createQueryBuilder(User, 'user')
      .select('user.passwordHash', 'hash')
      .where('user.id = :id', { id })
      .getRawOne<{ hash: string | null }>()
      .then((row) => row?.hash ?? null);
  }

  /** Ordered by e-mail (unique), filtered by institution and role when given. */
  listPage(filter: { institutionId?: string; role?: Role }, page: PageQuery): Promise<Page<User>> {
    const query = this.tx.manager.createQueryBuilder(User, 'user');
    if (filter.institutionId) query.andWhere('user.institutionId = :institutionId', { institutionId: filter.institutionId });
    if (filter.role) query.andWhere('user.role = :role', { role: filter.role });
    return paginate(query, page, [['user.email', (user) => user.email]]);
  }

  /** How many accounts of each role (of one institution when given); erased accounts are not counted. */
  async countByRole(institutionId?: string): Promise<Partial<Record<Role, number>>> {
    const query = this.tx.manager.createQueryBuilder(User, 'user').select('user.role', 'role').addSelect('count(*)::int', 'count').where('user.erasedAt IS NULL').groupBy('user.role');
    if (institutionId) query.andWhere('user.institutionId = :institutionId', { institutionId });
    const rows = await query.getRawMany<{ role: Role; count: number }>();
    return Object.fromEntries(rows.map((row) => [row.role, row.count]));
  }
}
