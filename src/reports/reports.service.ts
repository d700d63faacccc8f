import { Injectable } from '@nestjs/common';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { FlowsQuery, FlowsReportView } from './dto/flows.dto.js';
import { flowRowView } from './flow.view.js';
import { flowsCsv, flowsFileName } from './flows.csv.js';
import { flowsScope, OFFERING, PLACED } from './reports.rules.js';
import { ReportsRepository } from './reports.repository.js';

/** Figures over the other domains' data, for the people who negotiate agreements. */
@Injectable()
export class ReportsService {
  constructor(private readonly reports: ReportsRepository) {}

  /** Per direction of the caller's agreements and academic year: quota, seats offered, applications by status, balance. */
  async flows(caller: Caller, query: FlowsQuery): Promise<FlowsReportView> {
    const scope = flowsScope(caller);
    if (scope === 'forbidden') throw CommonErrors.forbidden();
    if (scope === 'none') return { items: [] };
    const records = await this.reports.flows({ institutionId: scope.institutionId, academicYear: query.academicYear ?? null, offering: OFFERING, placed: PLACED });
    return { items: records.map(flowRowView) };
  }

  /** The same rows as a CSV attachment. */
  async flowsCsv(caller: Caller, query: FlowsQuery): Promise<{ fileName: string; csv: string }> {
    const { items } = await this.flows(caller, query);
    return { fileName: flowsFileName(query.academicYear), csv: flowsCsv(items) };
  }
}
