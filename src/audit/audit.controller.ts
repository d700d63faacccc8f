import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { AuditService } from './audit.service.js';
import { AuditEntryView, AuditVerificationView, ListAuditQuery } from './dto/audit.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@ApiProblems(401, 403)
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: "The audit log, newest first: admins all of it, coordinators the entries of their institution's objects" })
  @ApiPage(AuditEntryView)
  @ApiProblems(400)
  list(@CurrentCaller() caller: Caller, @Query() query: ListAuditQuery) {
    return this.audit.list(caller, query);
  }

  @Get('verify')
  @Roles('admin')
  @ApiOperation({ summary: 'Walks the hash chain and names the first entry changed, removed or inserted behind the application' })
  @ApiOkResponse({ type: AuditVerificationView })
  verify(): Promise<AuditVerificationView> {
    return this.audit.verify();
  }
}
