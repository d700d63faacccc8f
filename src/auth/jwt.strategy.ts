import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Caller } from '../common/http/caller.js';
import { isUuid } from '../common/validation/uuid.js';
import { UsersRepository } from '../users/users.repository.js';
import { AuthErrors } from './auth.errors.js';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER, TokenService } from './token.service.js';


/**
 * Bearer access tokens (passport-jwt): HS256 only, our issuer and audience, signed with the
 * key TokenService made. The caller is then reloaded from the database, so a changed role
 * or a deleted account takes effect at once rather than when the token expires; the role
 * claim of the token is never used. Likewise its session (`sid`, the refresh-token family)
 * must still be open: a logout or a revoked session stops its access tokens at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    tokens: TokenService,
    private readonly users: UsersRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: tokens.accessTokenKey as unknown as Buffer, // typed string | Buffer; jsonwebtoken takes the KeyObject as it is
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
  }

  async validate(claims: { sub?: unknown; sid?: unknown }): Promise<Caller> {
    // Checked before the query: TypeORM would drop an undefined condition, and PostgreSQL refuses a malformed uuid.
    if (!isUuid(claims.sub) || !isUuid(claims.sid)) throw AuthErrors.invalidToken();
    const user = await this.users.findCallerInSession(claims.sub.toLowerCase(), claims.sid.toLowerCase());
    if (!user) throw AuthErrors.invalidToken();
    return { id: user.id, role: user.role, institutionId: user.institutionId, hostFamilyId: user.hostFamilyId, locale: user.locale };
  }
}
