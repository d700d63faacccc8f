import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { type TransitionName } from './application.state-machine.js';
import { ApplicationsService } from './applications.service.js';
import { ApplicationFieldsDto, ApplicationTransitionDto, ApplicationView, CreateApplicationDto, HistoryEntryView, ListApplicationsQuery } from './dto/application.dto.js';

const TRANSITION_DOCS: Record<TransitionName, string> = {
  submit: 'draft → submitted (the student; window open, required documents uploaded)',
  nominate: 'submitted → nominated (sending coordinator)',
  reject: 'submitted → rejected (sending coordinator) or nominated/waitlisted → rejected (receiving coordinator); `reason` required',
  accept: 'nominated/waitlisted → accepted (receiving coordinator); takes a seat, 409 program.seats_exhausted when none is left',
  waitlist: 'nominated → waitlisted (receiving coordinator)',
  confirm: 'accepted → confirmed (the student; the learning agreement approved when the programme requires one)',
  decline: 'accepted → declined (the student); frees the seat',
  withdraw: 'draft … confirmed → withdrawn (the student); frees a held seat',
  cancel: 'submitted … arrived → cancelled (a coordinator of either side); `reason` required; frees a held seat',
  'check-in': 'confirmed → arrived (receiving coordinator or host school); `arrivedAt` not in the future',
  complete: 'arrived → completed (receiving coordinator)',
};

@ApiTags('applications')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @Roles('student')
  @ApiOperation({ summary: 'A student applies (draft) to a published programme of its home institution' })
  @ApiCreatedResponse({ type: ApplicationView })
  @ApiProblems(400, 403, 409, 422)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateApplicationDto): Promise<ApplicationView> {
    return this.applications.create(caller, dto);
  }

  @Get()
  @Roles('admin', 'coordinator', 'host_school', 'student')
  @ApiOperation({ summary: "Students: their own; coordinators: outgoing from submission on, incoming from nomination on; host schools: incoming from acceptance on" })
  @ApiPage(ApplicationView)
  @ApiProblems(400, 403)
  list(@CurrentCaller() caller: Caller, @Query() query: ListApplicationsQuery) {
    return this.applications.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ApplicationView })
  @ApiProblems(400, 404)
  get(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string): Promise<ApplicationView> {
    return this.applications.get(caller, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'The student edits its draft (status, student and programme cannot be written)' })
  @ApiOkResponse({ type: ApplicationView })
  @ApiProblems(400, 403, 404, 409)
  update(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationFieldsDto): Promise<ApplicationView> {
    return this.applications.update(caller, id, dto);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every status change in order: from, to, who (and role), comment, reason, when' })
  @ApiPage(HistoryEntryView)
  @ApiProblems(400, 404)
  history(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string) {
    return this.applications.history(caller, id);
  }
}

/** One route per transition of SPEC section 4, so that each is documented on its own. */
@ApiTags('applications')
@ApiBearerAuth()
@ApiProblems(400, 401, 403, 404, 409, 422)
@ApiParam({ name: 'id', format: 'uuid' })
@Controller('applications/:id')
export class ApplicationTransitionsController {
  constructor(private readonly applications: ApplicationsService) {}

  private run(caller: Caller, id: string, name: TransitionName, dto: ApplicationTransitionDto) {
    return this.applications.transition(caller, id, name, dto);
  }

  @Post('submit') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.submit }) @ApiOkResponse({ type: ApplicationView })
  submit(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'submit', dto); }

  @Post('nominate') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.nominate }) @ApiOkResponse({ type: ApplicationView })
  nominate(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'nominate', dto); }

  @Post('reject') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.reject }) @ApiOkResponse({ type: ApplicationView })
  reject(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'reject', dto); }

  @Post('accept') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.accept }) @ApiOkResponse({ type: ApplicationView })
  accept(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'accept', dto); }

  @Post('waitlist') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.waitlist }) @ApiOkResponse({ type: ApplicationView })
  waitlist(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'waitlist', dto); }

  @Post('confirm') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.confirm }) @ApiOkResponse({ type: ApplicationView })
  confirm(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'confirm', dto); }

  @Post('decline') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.decline }) @ApiOkResponse({ type: ApplicationView })
  decline(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'decline', dto); }

  @Post('withdraw') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.withdraw }) @ApiOkResponse({ type: ApplicationView })
  withdraw(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'withdraw', dto); }

  @Post('cancel') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.cancel }) @ApiOkResponse({ type: ApplicationView })
  cancel(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'cancel', dto); }

  @Post('check-in') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS['check-in'] }) @ApiOkResponse({ type: ApplicationView })
  checkIn(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'check-in', dto); }

  @Post('complete') @HttpCode(200) @ApiOperation({ summary: TRANSITION_DOCS.complete }) @ApiOkResponse({ type: ApplicationView })
  complete(@CurrentCaller() c: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApplicationTransitionDto) { return this.run(c, id, 'complete', dto); }
}
