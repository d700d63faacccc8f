import { Inject, Injectable } from '@nestjs/common';
import { SETTINGS, type Settings } from '../config/settings.js';
import type { Caller } from '../common/http/caller.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import type { User } from '../users/user.entity.js';
import { userView, type UserView } from '../users/user.view.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';
import { AuditLog } from '../audit/audit-log.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { AuthErrors } from './auth.errors.js';
import type { RegisterDto } from './dto/auth.dto.js';
import { PasswordService } from './password.service.js';
import { TokenService, type TokenPair } from './token.service.js';

export interface Session extends TokenPair {
  user: UserView;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly usersRepository: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditLog,
    private readonly tx: TransactionHost,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /** Per client address, with the login limits: for the public routes that take a secret. */
  async throttleByAddress(route: string, ip: string): Promise<void> {
    const { perIp, windowSeconds } = this.settings.loginRateLimit;
    await this.limiter.hit({ key: `${route}:ip:${ip}`, max: perIp, windowSeconds });
  }

  async register(dto: RegisterDto, ip: string): Promise<UserView> {
    await this.throttleByAddress('register', ip);
    const user = await this.users.insert(
      {
      email: dto.email,
      password: dto.password,
      fullName: dto.fullName,
      role: 'student',
      institutionId: dto.homeInstitutionId,
      locale: dto.locale,
      },
      { selfRegistered: true },
    );
    return userView(user);
  }

  /**
   * The user with these credentials (the `local` strategy's check). Throttled per client
   * address and per e-mail (attempts since the last success), so neither one address trying
   * many accounts nor many addresses trying one account get far. An unknown e-mail and a
   * wrong password give the same answer in the same time.
   */
  async verifyCredentials(email: string, password: string, ip: string): Promise<User> {
    const { perEmail, perIp, windowSeconds } = this.settings.loginRateLimit;
    const emailKey = `login:email:${email}`;
    await this.limiter.hit({ key: `login:ip:${ip}`, max: perIp, windowSeconds });
    // Counted before the password is checked, in one statement, so that parallel attempts
    // cannot all slip under the limit; a successful sign-in empties the window again.
    await this.limiter.hit({ key: emailKey, max: perEmail, windowSeconds });

    const user = await this.usersRepository.findByEmailWithPassword(email);
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid) {
      // Neither the password nor the e-mail typed: the account when there is one, else nothing.
      await this.audit.record({ action: 'auth.login_failed', targetType: 'user', targetId: user?.id ?? null, actor: null, details: { knownAccount: Boolean(user) } });
      throw AuthErrors.invalidCredentials();
    }
    await this.limiter.reset(emailKey);
    return user;
  }

  /** A new session for a user whose credentials were just verified. */
  async openSession(user: User): Promise<Session> {
    const tokens = await this.tx.run(async () => {
      await this.audit.record({ action: 'auth.login', targetType: 'user', targetId: user.id, actor: user });
      return this.tokens.issue(user);
    });
    return { ...tokens, user: userView(user) };
  }

  async refresh(refreshToken: string): Promise<Session> {
    const { user, tokens } = await this.tokens.rotate(refreshToken, (id) => this.usersRepository.findById(id));
    return { ...tokens, user: userView(user) };
  }

  async logout(caller: Caller, refreshToken: string | undefined): Promise<void> {
    await this.tx.run(async () => {
      if (refreshToken) await this.tokens.revokeFamily(refreshToken, caller.id);
      else await this.tokens.revokeAllOf(caller.id);
      await this.audit.record({ action: 'auth.logout', targetType: 'user', targetId: caller.id, details: { allSessions: !refreshToken } });
    });
  }
}
