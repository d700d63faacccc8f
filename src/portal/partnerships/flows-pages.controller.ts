import { Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APPLICATION_STATUSES } from '../../applications/application.entity.js';
import { FlowsQuery } from '../../reports/dto/flows.dto.js';
import { CSV_MEDIA_TYPE } from '../../reports/flows.csv.js';
import { ReportsService } from '../../reports/reports.service.js';
import { optionalField, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { CHART_MEASURES, flowsChart } from './flows-chart.js';
import { dtoOf } from './form-errors.js';

/**
 * The flows report: the rows of GET /api/v1/reports/flows as a table and a bar chart drawn
 * by the server (SVG), and the same CSV as the API's. ReportsService decides who reads
 * which rows.
 */
@PortalController('portal/reports')
@PortalRoles('coordinator', 'admin')
export class FlowsPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly reports: ReportsService,
  ) {}

  @Get('flows')
  async flows(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const t = this.pages.t(request);
    const academicYear = optionalField(query, 'academicYear');
    const shown = { title: t('flows.title'), academicYear: academicYear ?? '', statuses: APPLICATION_STATUSES, measures: CHART_MEASURES };
    const valid = await this.pages.validate(request, FlowsQuery, { academicYear });
    if ('errors' in valid) return this.pages.render(request, reply, 'partnerships/flows', { ...shown, items: [], chart: null, errors: valid.errors }, 400);
    const { items } = await this.reports.flows(request.caller!, valid.value);
    const csvQuery = valid.value.academicYear ? `?academicYear=${encodeURIComponent(valid.value.academicYear)}` : '';
    await this.pages.render(request, reply, 'partnerships/flows', { ...shown, items, chart: items.length ? flowsChart(items) : null, csvHref: `/portal/reports/flows.csv${csvQuery}`, errors: {} });
  }

  /** The API's CSV (the reports domain's writer and file name), as a download. */
  @Get('flows.csv')
  async flowsCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const { fileName, csv } = await this.reports.flowsCsv(request.caller!, await dtoOf(FlowsQuery, { academicYear: optionalField(query, 'academicYear') }));
    reply.header('Cache-Control', 'no-store').type(CSV_MEDIA_TYPE).header('Content-Disposition', `attachment; filename="${fileName}"`).send(csv);
  }
}
