import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { InvitationsService } from './invitations.service.js';
import { PasswordService } from './password.service.js';
import { TokenService } from './token.service.js';

/** Password hashing, tokens and invitations, used by the global guard and by the users and auth domains. */
@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [PasswordService, TokenService, InvitationsService],
  exports: [PasswordService, TokenService, InvitationsService],
})
export class AuthCoreModule {}
