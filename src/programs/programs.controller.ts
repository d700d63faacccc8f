import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { TransitionDto } from '../common/dto/transition.dto.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { CreateProgramDto, ListProgramsQuery, ProgramView, UpdateProgramDto } from './dto/program.dto.js';
import { ProgramsService } from './programs.service.js';

@ApiTags('programs')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramsService) {}

  @Post()
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: 'Open a programme (draft) under an active agreement; its seats count against the quota' })
  @ApiCreatedResponse({ type: ProgramView })
  @ApiProblems(400, 403, 409, 422)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateProgramDto): Promise<ProgramView> {
    return this.programs.create(caller, dto);
  }

  @Get()
  @Roles('admin', 'coordinator', 'student')
  @ApiOperation({ summary: "Students: published programmes of their home institution; coordinators: their institution's" })
  @ApiPage(ProgramView)
  @ApiProblems(400, 403)
  list(@CurrentCaller() caller: Caller, @Query() query: ListProgramsQuery) {
    return this.programs.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProgramView })
  @ApiProblems(400, 404)
  get(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string): Promise<ProgramView> {
    return this.programs.get(caller, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ProgramView })
  @ApiProblems(400, 403, 404, 409)
  update(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: UpdateProgramDto): Promise<ProgramView> {
    return this.programs.update(caller, id, dto);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'draft → published (the agreement must be active)' })
  @ApiOkResponse({ type: ProgramView })
  @ApiProblems(400, 403, 404, 409)
  publish(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() _dto: TransitionDto): Promise<ProgramView> {
    return this.programs.transition(caller, id, 'publish');
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'published → closed' })
  @ApiOkResponse({ type: ProgramView })
  @ApiProblems(400, 403, 404, 409)
  close(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() _dto: TransitionDto): Promise<ProgramView> {
    return this.programs.transition(caller, id, 'close');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'draft or published → cancelled; its seats return to the quota' })
  @ApiOkResponse({ type: ProgramView })
  @ApiProblems(400, 403, 404, 409)
  cancel(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() _dto: TransitionDto): Promise<ProgramView> {
    return this.programs.transition(caller, id, 'cancel');
  }
}
