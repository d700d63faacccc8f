import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { UsersModule } from '../users/users.module.js';
import { InvitationsService } from './invitations.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { PasswordService } from './password.service.js';
import { TokenService } from './token.service.js';
import { WebSessionsService } from './web-sessions.service.js';

/** Password hashing, tokens, invitations and the access-token strategy of the global guard, used by the users and auth domains. */
@Global()
@Module({
  imports: [JwtModule.register({}), UsersModule],
  providers: [PasswordService, TokenService, InvitationsService, JwtStrategy, WebSessionsService],
  exports: [PasswordService, TokenService, InvitationsService, WebSessionsService],
})
export class AuthCoreModule {}
