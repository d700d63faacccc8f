import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { LearningAgreementView, PutLearningAgreementDto, SignLearningAgreementDto } from './dto/learning-agreement.dto.js';
import { LearningAgreementsService } from './learning-agreements.service.js';

@ApiTags('learning agreements')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('applications/:id/learning-agreement')
export class LearningAgreementsController {
  constructor(private readonly agreements: LearningAgreementsService) {}

  @Get()
  @ApiOkResponse({ type: LearningAgreementView })
  @ApiProblems(400, 404)
  get(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string): Promise<LearningAgreementView> {
    return this.agreements.get(caller, id);
  }

  @Put()
  @ApiOperation({ summary: 'Write the components (student or a coordinator of either side); a change after a signature is a new version without signatures' })
  @ApiOkResponse({ type: LearningAgreementView })
  @ApiProblems(400, 403, 404, 409)
  put(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: PutLearningAgreementDto): Promise<LearningAgreementView> {
    return this.agreements.put(caller, id, dto);
  }

  @Post('sign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign the current version for your part: student, sending or receiving coordinator (admins name the party)' })
  @ApiOkResponse({ type: LearningAgreementView })
  @ApiProblems(400, 403, 404, 409)
  sign(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: SignLearningAgreementDto): Promise<LearningAgreementView> {
    return this.agreements.sign(caller, id, dto);
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every version, oldest first; the last is the current one' })
  @ApiPage(LearningAgreementView)
  @ApiProblems(400, 404)
  versions(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string) {
    return this.agreements.versions(caller, id);
  }
}
