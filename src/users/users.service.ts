import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccessPolicy } from '../common/access/access-policy.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { AuthErrors } from '../auth/auth.errors.js';
import { InvitationsService } from '../auth/invitations.service.js';
import { PasswordService } from '../auth/password.service.js';
import { HostFamily } from '../host-families/host-family.entity.js';
import { Institution } from '../institutions/institution.entity.js';
import type { CreateUserDto, ListUsersQuery, UpdateMeDto } from './dto/user.dto.js';
import { ROLES, User, type Locale, type Role } from './user.entity.js';
import { CREATABLE_BY, ownInstitutionOf, userRules } from './user.rules.js';
import { userView, type UserView } from './user.view.js';
import { UserErrors } from './users.errors.js';
import { UsersRepository } from './users.repository.js';
import { AuditLog } from '../audit/audit-log.js';

export interface NewUser {
  email: string;
  fullName: string;
  role: Role;
  institutionId: string | null;
  hostFamilyId?: string | null;
  password?: string | null;
  locale?: Locale;
}

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly access: AccessPolicy,
    private readonly invitations: InvitationsService,
  ) {}

  onModuleInit(): void {
    this.access.register(userRules);
  }

  /** Inserts a user; refuses common passwords, unknown institutions and taken e-mails. */
  async insert(data: NewUser, options: { selfRegistered?: boolean } = {}): Promise<User> {
    const passwordHash = await this.hashOf(data.password);
    return this.tx.run(async () => {
      const user = await this.insertRow(data, passwordHash);
      // A student registering is its own actor (no caller yet); a seeded account has none.
      await this.recordCreated(user, !passwordHash, options.selfRegistered ? user : null);
      return user;
    });
  }

  /** The account's role and institution, as given, in the audit log (never its e-mail or name). */
  private recordCreated(user: User, invited: boolean, actor?: Pick<User, 'id' | 'role'> | null): Promise<void> {
    return this.audit.record({
      action: actor?.id === user.id ? 'user.register' : 'user.create',
      targetType: 'user',
      targetId: user.id,
      institutionIds: [user.institutionId],
      details: { role: user.role, institutionId: user.institutionId, hostFamilyId: user.hostFamilyId, invited },
      ...(actor !== undefined ? { actor } : {}),
    });
  }

  /** Refuses a common password and hashes it: before any transaction opens (argon2 takes its time, a connection should not wait for it). */
  private async hashOf(password: string | null | undefined): Promise<string | null> {
    if (password && this.passwords.isCommon(password)) throw UserErrors.commonPassword();
    return password ? this.passwords.hash(password) : null;
  }

  private async insertRow(data: NewUser, passwordHash: string | null): Promise<User> {
    const manager = this.tx.required;
    if (data.institutionId && !(await manager.existsBy(Institution, { id: data.institutionId }))) {
      throw UserErrors.unknownInstitution(data.role === 'student' ? 'homeInstitutionId' : 'institutionId');
    }
    // A host_family user acts for one family of its institution (a foreign key holds it too).
    if (data.hostFamilyId && (!data.institutionId || !(await manager.existsBy(HostFamily, { id: data.hostFamilyId, institutionId: data.institutionId })))) throw CommonErrors.notFound('host_family');
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({
        email: data.email,
        fullName: data.fullName,
        role: data.role,
        institutionId: data.institutionId,
        hostFamilyId: data.hostFamilyId ?? null,
        passwordHash,
        locale: data.locale ?? 'en',
      })
      .orIgnore()
      .returning('id')
      .execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    if (!id) throw AuthErrors.emailTaken();
    return (await this.users.findById(id))!;
  }

  /** POST /users: staff accounts, by an admin (any staff role) or a coordinator (its own institution's host staff). */
  async create(caller: Caller, dto: CreateUserDto): Promise<UserView> {
    const allowed = CREATABLE_BY[caller.role];
    if (!allowed) throw CommonErrors.forbidden();
    // A role the caller may not give is a forbidden action (a coordinator making a coordinator).
    if (!allowed.includes(dto.role)) throw CommonErrors.forbidden();
    const own = ownInstitutionOf(caller, dto.institutionId);
    if (own === 'other') throw CommonErrors.forbidden();
    const { institutionId } = own;
    if (!institutionId && dto.role !== 'admin') throw UserErrors.institutionRequired();
    if (dto.role === 'host_family' && !dto.hostFamilyId) throw UserErrors.hostFamilyRequired();
    if (dto.role !== 'host_family' && dto.hostFamilyId) throw UserErrors.hostFamilyOnlyForFamilies();
    const passwordHash = await this.hashOf(dto.password);
    // The account and its invitation commit together.
    const user = await this.tx.run(async () => {
      const created = await this.insertRow({ ...dto, institutionId, hostFamilyId: dto.hostFamilyId ?? null }, passwordHash);
      await this.recordCreated(created, !passwordHash);
      if (!dto.password) await this.invitations.invite(created);
      return created;
    });
    return userView(user);
  }

  /** GET /users: admins all, coordinators their institution's; the other roles 403. */
  async list(caller: Caller, query: ListUsersQuery): Promise<Page<UserView>> {
    const own = ownInstitutionOf(caller, query.institutionId);
    if (own === 'other') return { items: [], nextCursor: null };
    const page = await this.users.listPage({ institutionId: own.institutionId ?? undefined, role: query.role }, query);
    return { items: page.items.map((user) => userView(user)), nextCursor: page.nextCursor };
  }

  /** How many accounts of each role: admins all (or one institution's), coordinators their institution's; the other roles 403. */
  async countByRole(caller: Caller, institutionId?: string): Promise<Record<Role, number>> {
    if (!CREATABLE_BY[caller.role]) throw CommonErrors.forbidden();
    const own = ownInstitutionOf(caller, institutionId);
    if (own === 'other') throw CommonErrors.forbidden();
    const counts = await this.users.countByRole(own.institutionId ?? undefined);
    return Object.fromEntries(ROLES.map((role) => [role, counts[role] ?? 0])) as Record<Role, number>;
  }

  async get(caller: Caller, id: string): Promise<UserView> {
    return userView(this.access.visible(caller, 'user', await this.users.findById(id)));
  }

  async me(caller: Caller): Promise<UserView> {
    return userView((await this.users.findById(caller.id))!, { own: true });
  }

  async updateMe(caller: Caller, dto: UpdateMeDto): Promise<UserView> {
    const changes: Partial<Pick<User, 'fullName' | 'locale'>> = {};
    if (dto.fullName !== undefined) changes.fullName = dto.fullName;
    if (dto.locale !== undefined) changes.locale = dto.locale;
    const preferences = dto.notificationPreferences;
    if (Object.keys(changes).length || preferences) {
      await this.tx.run(async () => {
        if (Object.keys(changes).length) await this.tx.required.update(User, { id: caller.id }, changes);
        await this.audit.record({ action: 'user.edit', targetType: 'user', targetId: caller.id, details: { fields: [...Object.keys(changes), ...(preferences ? ['notificationPreferences'] : [])].sort() } });
        // The kinds given replace their earlier choice; the others are kept (merged in the row, so two tabs do not undo each other).
        if (preferences) {
          const chosen = Object.fromEntries(Object.entries(preferences).map(([kind, preference]) => [kind, { email: preference.email ?? true }]));
          await this.tx.required.query('UPDATE users SET notification_preferences = notification_preferences || $2::jsonb, updated_at = now() WHERE id = $1', [caller.id, JSON.stringify(chosen)]);
        }
      });
    }
    return this.me(caller);
  }
}
