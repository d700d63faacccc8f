import { Module } from '@nestjs/common';
import { StrictValidationPipe } from '../common/validation/validation.pipe.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LocalStrategy } from './local.strategy.js';

@Module({
  imports: [UsersModule],
  controllers: [AuthController],
  // StrictValidationPipe: LocalAuthGuard validates the sign-in body before its strategy runs.
  providers: [AuthService, LocalStrategy, StrictValidationPipe],
  exports: [AuthService],
})
export class AuthModule {}
