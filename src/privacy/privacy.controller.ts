import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EmptyBody } from '../common/dto/empty-body.dto.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { HostFamilyExportView, PersonalDataExportView } from './dto/privacy.dto.js';
import { asAttachment } from './export-download.js';
import { PrivacyService } from './privacy.service.js';

@ApiTags('privacy')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('me')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('export')
  @ApiOperation({ summary: 'Everything the platform holds about the caller, as one JSON document (an attachment); every role' })
  @ApiOkResponse({ type: PersonalDataExportView })
  async export(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    return asAttachment(reply, await this.privacy.exportOf(caller));
  }

  @Post('erase')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Erases the caller: name, e-mail, password and what it gave replaced or removed, documents deleted, sessions ended; the records others need stay, anonymised. Open applications are withdrawn. Refused during a mobility (accepted, confirmed, arrived) and for the last administrator',
  })
  @ApiNoContentResponse({ description: 'erased: the access and refresh tokens no longer work' })
  @ApiProblems(400, 409)
  async erase(@CurrentCaller() caller: Caller, @Body() _body: EmptyBody): Promise<void> {
    await this.privacy.erase(caller);
  }
}

@ApiTags('privacy')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('host-families')
export class HostFamilyPrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get(':id/export')
  @ApiOperation({ summary: "A host family's data (record, vettings, placements, accounts, audit entries), for its managing coordinator or an admin to hand over" })
  @ApiOkResponse({ type: HostFamilyExportView })
  @ApiProblems(400, 403, 404)
  async export(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    return asAttachment(reply, await this.privacy.exportFamily(caller, id));
  }

  @Post(':id/erase')
  @HttpCode(204)
  @ApiOperation({ summary: "Erases a family's name, contact, street and vetting notes and its accounts, and suspends it; its placements stay. Refused while a placement is proposed or accepted" })
  @ApiNoContentResponse()
  @ApiProblems(400, 403, 404, 409)
  async erase(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() _body: EmptyBody): Promise<void> {
    await this.privacy.eraseFamily(caller, id);
  }
}
