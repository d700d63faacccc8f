import { APPLICATION_STATUSES } from '../applications/application.entity.js';
import type { FlowCounts, FlowRowView } from './dto/flows.dto.js';
import type { FlowRecord } from './reports.repository.js';

/** One row of the report: every status of the lifecycle in `counts`, zeros included. */
export function flowRowView(record: FlowRecord): FlowRowView {
  const counts = Object.fromEntries(APPLICATION_STATUSES.map((status) => [status, record.counts[status] ?? 0])) as FlowCounts;
  return {
    agreement: { id: record.agreementId, title: record.agreementTitle, status: record.agreementStatus },
    from: { id: record.fromId, name: record.fromName, shortName: record.fromShortName, country: record.fromCountry },
    to: { id: record.toId, name: record.toName, shortName: record.toShortName, country: record.toCountry },
    academicYear: record.academicYear,
    quota: record.quota,
    seatsOffered: record.seatsOffered,
    counts,
    placed: record.placed,
    balance: record.balance,
  };
}
