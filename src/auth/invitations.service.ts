import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull } from 'typeorm';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { MailService } from '../notifications/mail.service.js';
import { User } from '../users/user.entity.js';
import { UserErrors } from '../users/users.errors.js';
import { AuthErrors } from './auth.errors.js';
import { PasswordService } from './password.service.js';
import { PasswordToken } from './password-token.entity.js';
import { TokenService } from './token.service.js';

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
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly mail: MailService,
  ) {}

  /**
   * Stores a new invitation code and returns the sending of its mail, to be called once the
   * transaction that created the account has committed (no mail for an account rolled back).
   */
  async invite(user: Pick<User, 'id' | 'email' | 'fullName' | 'role'>): Promise<() => void> {
    // In the transaction that creates the account.
    const manager = this.tx.required;
    const token = randomBytes(32).toString('base64url');
    await manager.insert(PasswordToken, { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + VALID_DAYS * 86_400_000) });
    return () =>
      this.mail.send({
        to: user.email,
        subject: 'Your student exchange account',
        text:
          `Hello ${user.fullName},\n\nan account (${user.role.replace('_', ' ')}) was opened for you on the student exchange platform.\n` +
          `Choose your password within ${VALID_DAYS} days with this code:\n\n${token}\n\n` +
          `(POST /api/v1/auth/set-password with {"token": "<the code>", "password": "<your password>"})\n`,
      });
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
    });
  }
}
