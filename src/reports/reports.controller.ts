import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiProblems } from '../common/openapi/problems.js';
import { FlowsQuery, FlowsReportView } from './dto/flows.dto.js';
import { CSV_MEDIA_TYPE, prefersCsv } from './flows.csv.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@ApiProblems(401, 403)
@Roles('admin', 'coordinator')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('flows')
  @ApiOperation({
    summary:
      "Per direction of the caller's agreements (admins: all) and academic year: quota, seats offered, applications by status, students placed and the balance with the opposite direction. `Accept: text/csv` gives the same rows as CSV",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiExtraModels(FlowsReportView)
  @ApiOkResponse({
    description: 'JSON, or with `Accept: text/csv` an RFC 4180 attachment (header row, one column per field, counts flattened as `counts.<status>`)',
    content: { 'application/json': { schema: { $ref: getSchemaPath(FlowsReportView) } }, 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblems(400)
  async flows(
    @CurrentCaller() caller: Caller,
    @Query() query: FlowsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FlowsReportView | string> {
    // One address, two representations: caches must key on Accept.
    reply.header('Vary', 'Accept');
    if (!prefersCsv(accept)) return this.reports.flows(caller, query);
    const { fileName, csv } = await this.reports.flowsCsv(caller, query);
    reply.type(CSV_MEDIA_TYPE).header('Content-Disposition', `attachment; filename="${fileName}"`);
    return csv;
  }
}
