import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { AGREEMENT_STATUSES, type AgreementStatus } from '../../agreements/agreement.entity.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../../applications/application.entity.js';
import { IsAcademicYear } from '../../common/academic-year.js';

/** The report's one filter; it has no pages (every row of the caller's agreements, one per direction and year). */
export class FlowsQuery {
  @ApiPropertyOptional({ example: '2027/2028', description: 'one academic year; every year when absent' })
  @IsOptional()
  @IsAcademicYear()
  academicYear?: string;
}

export class FlowAgreementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: AGREEMENT_STATUSES }) status: AgreementStatus;
}

export class FlowInstitutionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() shortName: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'FR' }) country: string;
}

export type FlowCounts = Record<ApplicationStatus, number>;

export class FlowRowView {
  @ApiProperty({ type: FlowAgreementView }) agreement: FlowAgreementView;
  @ApiProperty({ type: FlowInstitutionView, description: 'the sending institution' }) from: FlowInstitutionView;
  @ApiProperty({ type: FlowInstitutionView, description: 'the receiving institution' }) to: FlowInstitutionView;
  @ApiProperty({ example: '2027/2028' }) academicYear: string;
  @ApiProperty({ description: "the agreement's quota of seats for this direction and year (0 without one)" }) quota: number;
  @ApiProperty({ description: 'seats of the published and closed programmes of this direction and year (not drafts, not cancelled ones)' }) seatsOffered: number;

  @ApiProperty({
    description: "the applications to this direction's programmes of this year, by status: every status of the lifecycle, zeros included",
    type: 'object',
    properties: Object.fromEntries(APPLICATION_STATUSES.map((status) => [status, { type: 'integer', minimum: 0 }])),
    required: [...APPLICATION_STATUSES],
  })
  counts: FlowCounts;

  @ApiProperty({ description: 'students placed: applications holding a seat (accepted, confirmed, arrived, completed)' })
  placed: number;

  @ApiProperty({ description: 'placed in this direction minus placed in the opposite one (same agreement and year): positive when this partner sends more than it receives' })
  balance: number;
}

export class FlowsReportView {
  @ApiProperty({ type: [FlowRowView], description: 'ordered by agreement title, then from, to (institution names) and academic year' })
  items: FlowRowView[];
}
