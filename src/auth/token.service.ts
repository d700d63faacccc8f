import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { SETTINGS, type Settings } from '../config/settings.js';
import type { User } from '../users/user.entity.js';
import { AuthErrors } from './auth.errors.js';
import { RefreshToken } from './refresh-token.entity.js';

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
    private readonly dataSource: DataSource,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.accessTokenKey = createSecretKey(Buffer.from(settings.jwtSecret, 'utf8'));
  }

  /** A new session: an access token and the first refresh token of a new family. */
  issue(user: User, manager: EntityManager = this.dataSource.manager): Promise<TokenPair> {
    return this.issueInFamily(user, randomUUID(), manager);
  }

  private async issueInFamily(user: Pick<User, 'id' | 'role'>, familyId: string, manager: EntityManager): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await manager.insert(RefreshToken, {
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_DAYS * 86_400_000),
    });
    const accessToken = this.jwt.sign(
      { role: user.role },
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
  async rotate(refreshToken: string, loadUser: (id: string, manager: EntityManager) => Promise<User | null>): Promise<{ user: User; tokens: TokenPair }> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(RefreshToken, {
        where: { tokenHash: sha256(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current || current.revokedAt || current.expiresAt.getTime() <= Date.now()) return { error: AuthErrors.invalidRefreshToken() };
      if (current.usedAt) {
        await manager.update(RefreshToken, { familyId: current.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
        return { error: AuthErrors.refreshTokenReused() };
      }
      const user = await loadUser(current.userId, manager);
      if (!user) return { error: AuthErrors.invalidRefreshToken() };
      await manager.update(RefreshToken, { id: current.id }, { usedAt: new Date() });
      return { user, tokens: await this.issueInFamily(user, current.familyId, manager) };
    });
    // The revocation above must commit, so the error is thrown only after the transaction.
    if ('error' in outcome) throw outcome.error;
    return outcome;
  }

  /** Ends the session the refresh token belongs to (its family), if it is the caller's. */
  async revokeFamily(refreshToken: string, userId: string): Promise<void> {
    const token = await this.dataSource.manager.findOne(RefreshToken, { where: { tokenHash: sha256(refreshToken), userId } });
    if (token) {
      await this.dataSource.manager.update(RefreshToken, { familyId: token.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    }
  }

  async revokeAllOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
