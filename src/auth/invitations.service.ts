import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull } from 'typeorm';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import { MailQueue } from '../notifications/mail-queue.js';
import { User } from '../users/user.entity.js';
import { UserErrors } from '../users/users.errors.js';
import { AuthErrors } from './auth.errors.js';
import { invitationMail } from './invitation-mail.js';
import { PasswordService } from './password.service.js';
import { PasswordToken } from './password-token.entity.js';
import { TokenService } from './token.service.js';
import { AuditLog } from '../audit/audit-log.js';

const VALID_DAYS = 7;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Staff accounts created without a password get an invitation: a single-use token, sent by
 * mail, with which the person chooses a password (`POST /auth/set-password`).
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly mail: MailQueue,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /**
   * Stores a new invitation code and queues its mail, in the transaction that creates the
   * account: an account rolled back has neither, and a committed one's mail survives a restart.
   */
  async invite(user: Pick<User, 'id' | 'email' | 'fullName' | 'role' | 'locale'>): Promise<void> {
    const manager = this.tx.required;
    const token = randomBytes(32).toString('base64url');
    await manager.insert(PasswordToken, { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + VALID_DAYS * 86_400_000) });
    await this.mail.enqueue(invitationMail(user, token, VALID_DAYS, this.settings.publicUrl));
  }

  /** Spends the token and sets the password; every open session of the user ends. */
  async setPassword(token: string, password: string): Promise<void> {
    if (this.passwords.isCommon(password)) throw UserErrors.commonPassword();
    const hash = await this.passwords.hash(password);
    await this.tx.run(async () => {
      const manager = this.tx.required;
      const row = await manager.findOne(PasswordToken, { where: { tokenHash: sha256(token), usedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.expiresAt.getTime() <= Date.now()) throw AuthErrors.invalidPasswordToken();
      await manager.update(PasswordToken, { id: row.id }, { usedAt: new Date() });
      await manager.update(User, { id: row.userId }, { passwordHash: hash });
      await this.tokens.revokeAllOf(row.userId);
      await this.audit.record({ action: 'auth.set_password', targetType: 'user', targetId: row.userId, actor: null });
    });
  }
}
