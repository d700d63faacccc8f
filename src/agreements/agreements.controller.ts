import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { TransitionDto } from '../common/dto/transition.dto.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { AgreementsService } from './agreements.service.js';
import { AgreementVersionView, AgreementView, ApproveAgreementDto, CreateAgreementDto, ListAgreementsQuery, UpdateAgreementDto } from './dto/agreement.dto.js';

@ApiTags('agreements')
@ApiBearerAuth()
@ApiProblems(401, 403)
@Roles('admin', 'coordinator')
@Controller('agreements')
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Post()
  @ApiOperation({ summary: 'Propose an agreement between two or more partners (a draft until every partner approves)' })
  @ApiCreatedResponse({ type: AgreementView })
  @ApiProblems(400, 422)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateAgreementDto): Promise<AgreementView> {
    return this.agreements.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: "Agreements the caller's institution is party to (admins: all), newest first" })
  @ApiPage(AgreementView)
  @ApiProblems(400)
  list(@CurrentCaller() caller: Caller, @Query() query: ListAgreementsQuery) {
    return this.agreements.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AgreementView })
  @ApiProblems(400, 404)
  get(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string): Promise<AgreementView> {
    return this.agreements.get(caller, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit the terms; after any approval this makes a new version and clears the approvals' })
  @ApiOkResponse({ type: AgreementView })
  @ApiProblems(400, 404, 409)
  update(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: UpdateAgreementDto): Promise<AgreementView> {
    return this.agreements.update(caller, id, dto);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Every version of the agreement, oldest first; the last is the current one' })
  @ApiPage(AgreementVersionView)
  @ApiProblems(400, 404)
  versions(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string) {
    return this.agreements.versions(caller, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: "Approve the current version for the caller's institution (admins: for `institutionId`)" })
  @ApiOkResponse({ type: AgreementView })
  @ApiProblems(400, 404, 409)
  approve(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: ApproveAgreementDto): Promise<AgreementView> {
    return this.agreements.approve(caller, id, dto);
  }

  @Post(':id/terminate')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the agreement (a partner coordinator, with a reason)' })
  @ApiOkResponse({ type: AgreementView })
  @ApiProblems(400, 404, 409)
  terminate(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: TransitionDto): Promise<AgreementView> {
    return this.agreements.terminate(caller, id, dto);
  }
}
