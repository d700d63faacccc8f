import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.js';
import type { Caller } from '../common/http/caller.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { User } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { TokenService } from './token.service.js';
import { WebSession } from './web-session.entity.js';

/** How long a portal session lasts without signing in again. */
export const WEB_SESSION_HOURS = 12;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The portal's cookie sessions (see WebSession). */
@Injectable()
export class WebSessionsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly tokens: TokenService,
    private readonly users: UsersRepository,
  ) {}

  /**
   * A new session for a user whose credentials were just checked; the session the browser
   * came with (if any) ends, so a session id planted before sign-in is worth nothing after.
   * Returns the cookie's secret.
   */
  async open(user: User, previous: string | undefined): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + WEB_SESSION_HOURS * 3_600_000);
    await this.tx.run(async () => {
      if (previous) await this.endRow(previous);
      const familyId = await this.tokens.openFamily(user.id, expiresAt);
      await this.tx.required.insert(WebSession, { tokenHash: sha256(secret), userId: user.id, familyId, expiresAt });
      await this.audit.record({ action: 'auth.login', targetType: 'user', targetId: user.id, actor: user, details: { client: 'portal' } });
    });
    return secret;
  }

  /** The caller of a live session: not expired, its refresh family not revoked. */
  async callerOf(secret: string | undefined): Promise<Caller | null> {
    if (!secret || secret.length > 100) return null;
    const [row] = (await this.tx.manager.query(
      `SELECT s.user_id FROM web_sessions s
        WHERE s.token_hash = $1 AND s.expires_at > now()
          AND EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = s.family_id AND r.revoked_at IS NULL)`,
      [sha256(secret)],
    )) as { user_id: string }[];
    if (!row) return null;
    const user = await this.users.findCaller(row.user_id);
    return user ? { id: user.id, role: user.role, institutionId: user.institutionId, hostFamilyId: user.hostFamilyId, locale: user.locale } : null;
  }

  /** Sign-out: the session and its refresh family end. */
  async end(secret: string | undefined, caller: Caller | undefined): Promise<void> {
    if (!secret) return;
    await this.tx.run(async () => {
      const ended = await this.endRow(secret);
      if (ended && caller) await this.audit.record({ action: 'auth.logout', targetType: 'user', targetId: caller.id, details: { client: 'portal' } });
    });
  }

  private async endRow(secret: string): Promise<boolean> {
    const result = await this.tx.required.createQueryBuilder().delete().from(WebSession).where('token_hash = :hash', { hash: sha256(secret) }).returning('family_id').execute();
    const deleted = (result.raw as { family_id: string }[])[0];
    if (!deleted) return false;
    await this.tokens.revokeFamilyById(deleted.family_id);
    return true;
  }
}
