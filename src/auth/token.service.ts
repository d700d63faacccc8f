import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { IsNull } from 'typeorm';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import type { User } from '../users/user.entity.js';
import { AuthErrors } from './auth.errors.js';
import { RefreshToken } from './refresh-token.entity.js';
import { AuditLog } from '../audit/audit-log.js';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_DAYS = 30;
export const JWT_ISSUER = 'exchange-api';
export const JWT_AUDIENCE = 'exchange-api';
/** The one algorithm accepted; `none` and every other are refused. */
export const JWT_ALGORITHM = 'HS256';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

@Injectable()
export class TokenService {
  /**
   * The HMAC key of access tokens as a KeyObject, made once and shared with the passport-jwt
   * strategy: given a string, jsonwebtoken first tries to read it as a PEM public key on
   * every call, which costs more than the signature itself.
   */
  readonly accessTokenKey: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.accessTokenKey = createSecretKey(Buffer.from(settings.jwtSecret, 'utf8'));
  }

  /** A new session: an access token and the first refresh token of a new family. */
  issue(user: User): Promise<TokenPair> {
    return this.tx.run(() => this.issueInFamily(user, randomUUID()));
  }

  /**
   * A refresh-token family for a session that is not a bearer client's (the portal's
   * cookie): its one token is never handed out, and the family lives while it is not revoked.
   */
  async openFamily(userId: string, expiresAt: Date): Promise<string> {
    const familyId = randomUUID();
    await this.tx.required.insert(RefreshToken, { userId, familyId, tokenHash: sha256(randomBytes(32).toString('base64url')), expiresAt });
    return familyId;
  }

  /** Revokes a family by its id (the portal's sign-out). */
  async revokeFamilyById(familyId: string): Promise<void> {
    await this.tx.required.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private async issueInFamily(user: Pick<User, 'id' | 'role'>, familyId: string): Promise<TokenPair> {
    const manager = this.tx.required;
    const refreshToken = randomBytes(32).toString('base64url');
    await manager.insert(RefreshToken, {
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_DAYS * 86_400_000),
    });
    const accessToken = this.jwt.sign(
      // `sid`: the session (refresh-token family) the token belongs to; it works while that session does.
      { role: user.role, sid: familyId },
      {
        secret: this.accessTokenKey as unknown as Buffer, // @nestjs/jwt types a Buffer; jsonwebtoken takes a KeyObject
        algorithm: JWT_ALGORITHM,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        subject: user.id,
        expiresIn: ACCESS_TOKEN_SECONDS,
        jwtid: randomUUID(),
      },
    );
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  /**
   * Rotation: the presented token is spent and the next one of its family issued. A token
   * presented a second time has leaked (or was stolen): its whole family is revoked.
   */
  async rotate(refreshToken: string, loadUser: (id: string) => Promise<User | null>): Promise<{ user: User; tokens: TokenPair }> {
    const outcome = await this.tx.run(async () => {
      const manager = this.tx.required;
      const current = await manager.findOne(RefreshToken, {
        where: { tokenHash: sha256(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current || current.revokedAt || current.expiresAt.getTime() <= Date.now()) return { error: AuthErrors.invalidRefreshToken() };
      if (current.usedAt) {
        await manager.update(RefreshToken, { familyId: current.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
        // Whoever presented it is not known: the session's owner is the target.
        await this.audit.record({ action: 'auth.refresh_reused', targetType: 'user', targetId: current.userId, actor: null, details: { sessionRevoked: true } });
        return { error: AuthErrors.refreshTokenReused() };
      }
      const user = await loadUser(current.userId);
      if (!user) return { error: AuthErrors.invalidRefreshToken() };
      await manager.update(RefreshToken, { id: current.id }, { usedAt: new Date() });
      return { user, tokens: await this.issueInFamily(user, current.familyId) };
    });
    // The revocation above must commit, so the error is thrown only after the transaction.
    if ('error' in outcome) throw outcome.error;
    return outcome;
  }

  /** Ends the session the refresh token belongs to (its family), if it is the caller's. */
  async revokeFamily(refreshToken: string, userId: string): Promise<void> {
    await this.tx.run(async () => {
      const token = await this.tx.required.findOne(RefreshToken, { where: { tokenHash: sha256(refreshToken), userId } });
      if (token) await this.tx.required.update(RefreshToken, { familyId: token.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    });
  }

  /** Every session of the user (a new password, an erased account): with the caller's change, when there is one. */
  async revokeAllOf(userId: string): Promise<void> {
    await this.tx.run(() => this.tx.required.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: new Date() }));
  }
}
