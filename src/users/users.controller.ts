import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { CreateUserDto, ListUsersQuery, UpdateMeDto } from './dto/user.dto.js';
import { UserView } from './user.view.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@ApiProblems(401)
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post('users')
  @Roles('admin', 'coordinator')
  @ApiCreatedResponse({ type: UserView })
  @ApiProblems(400, 403, 409, 422)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(caller, dto);
  }

  @Get('users')
  @Roles('admin', 'coordinator')
  @ApiPage(UserView)
  @ApiProblems(400, 403)
  list(@CurrentCaller() caller: Caller, @Query() query: ListUsersQuery) {
    return this.users.list(caller, query);
  }

  @Get('users/:id')
  @ApiOkResponse({ type: UserView })
  @ApiProblems(400, 404)
  get(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string): Promise<UserView> {
    return this.users.get(caller, id);
  }

  @Get('me')
  @ApiOkResponse({ type: UserView })
  me(@CurrentCaller() caller: Caller): Promise<UserView> {
    return this.users.me(caller);
  }

  @Patch('me')
  @ApiOkResponse({ type: UserView })
  @ApiProblems(400)
  updateMe(@CurrentCaller() caller: Caller, @Body() dto: UpdateMeDto): Promise<UserView> {
    return this.users.updateMe(caller, dto);
  }
}
