import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { WithoutIdempotency } from '../common/idempotency/idempotency.interceptor.js';
import { ApiProblems } from '../common/openapi/problems.js';
import type { User } from '../users/user.entity.js';
import { UserView } from '../users/user.view.js';
import { Public } from './auth.decorators.js';
import { AuthService, type Session } from './auth.service.js';
import { LoginDto, LogoutDto, RefreshDto, RegisterDto, SessionView, SetPasswordDto } from './dto/auth.dto.js';
import { InvitationsService } from './invitations.service.js';
import { LocalAuthGuard, SignedInUser } from './local-auth.guard.js';

@ApiTags('auth')
@WithoutIdempotency()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly invitations: InvitationsService,
  ) {}

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: UserView, description: 'a student account' })
  @ApiProblems(400, 409, 429)
  register(@Body() dto: RegisterDto, @Req() request: FastifyRequest): Promise<UserView> {
    return this.auth.register(dto, request.ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: SessionView })
  @ApiProblems(400, 401, 429)
  login(@SignedInUser() user: User): Promise<Session> {
    return this.auth.openSession(user);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'the presented refresh token is spent; use the new one' })
  @ApiProblems(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<Session> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Public()
  @Post('set-password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the password is set; sign in with it' })
  @ApiProblems(400, 429)
  async setPassword(@Body() dto: SetPasswordDto, @Req() request: FastifyRequest): Promise<void> {
    await this.auth.throttleByAddress('set-password', request.ip);
    await this.invitations.setPassword(dto.token, dto.password);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse()
  @ApiProblems(400, 401)
  async logout(@CurrentCaller() caller: Caller, @Body() dto: LogoutDto): Promise<void> {
    await this.auth.logout(caller, dto.refreshToken);
  }
}
