import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PasswordService } from './password.service.js';
import { TokenService } from './token.service.js';

/** Password hashing and tokens, used by the global guard and by the users and auth domains. */
@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [PasswordService, TokenService],
  exports: [PasswordService, TokenService],
})
export class AuthCoreModule {}
