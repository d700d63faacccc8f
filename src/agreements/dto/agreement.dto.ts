import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsAcademicYear } from '../../common/academic-year.js';
import { TransitionDto } from '../../common/dto/transition.dto.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IsCalendarDate } from '../../common/validation/dates.js';
import { NestedObject, OptionalNotNull, Trim } from '../../common/validation/validators.js';
import { AGREEMENT_STATUSES, type AgreementStatus } from '../agreement.entity.js';

export class QuotaDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  fromInstitutionId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  toInstitutionId: string;

  @ApiProperty({ example: '2027/2028' })
  @IsAcademicYear()
  academicYear: string;

  @ApiProperty({ minimum: 0, maximum: 10000 })
  @IsInt()
  @Min(0)
  @Max(10_000)
  seats: number;
}

export class CreateAgreementDto {
  @ApiProperty({ maxLength: 300, example: 'Université de Lorraine – Kuban State University' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title: string;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 2, maxItems: 20, description: 'two or more; a trilateral agreement has three' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  partnerInstitutionIds: string[];

  @ApiProperty({ format: 'date', example: '2026-09-01' })
  @IsCalendarDate()
  startsOn: string;

  @ApiProperty({ format: 'date', example: '2031-08-31' })
  @IsCalendarDate()
  endsOn: string;

  @ApiProperty({ type: [QuotaDto], maxItems: 200 })
  @IsArray()
  @ArrayMaxSize(200)
  @NestedObject(() => QuotaDto, { each: true })
  quotas: QuotaDto[];
}

/** Any subset of the fields; quotas, when given, replace the whole list. */
export class UpdateAgreementDto {
  @ApiPropertyOptional({ maxLength: 300 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', minItems: 2, maxItems: 20 })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  partnerInstitutionIds?: string[];

  @ApiPropertyOptional({ format: 'date' })
  @OptionalNotNull()
  @IsCalendarDate()
  startsOn?: string;

  @ApiPropertyOptional({ format: 'date' })
  @OptionalNotNull()
  @IsCalendarDate()
  endsOn?: string;

  @ApiPropertyOptional({ type: [QuotaDto], maxItems: 200 })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @NestedObject(() => QuotaDto, { each: true })
  quotas?: QuotaDto[];
}

export class ApproveAgreementDto extends TransitionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'admins only: the partner on whose behalf they approve' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;
}

export class ListAgreementsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AGREEMENT_STATUSES })
  @IsOptional()
  @IsIn(AGREEMENT_STATUSES)
  status?: AgreementStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'agreements this institution is party to' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;
}

export class QuotaView {
  @ApiProperty({ format: 'uuid' }) fromInstitutionId: string;
  @ApiProperty({ format: 'uuid' }) toInstitutionId: string;
  @ApiProperty({ example: '2027/2028' }) academicYear: string;
  @ApiProperty() seats: number;
}

export class ApprovalView {
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ format: 'uuid' }) approvedBy: string;
  @ApiProperty({ format: 'date-time' }) approvedAt: string;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
}

export class AgreementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: AGREEMENT_STATUSES }) status: AgreementStatus;
  @ApiProperty({ type: [String], format: 'uuid' }) partnerInstitutionIds: string[];
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty({ type: [QuotaView] }) quotas: QuotaView[];
  @ApiProperty({ type: [ApprovalView], description: 'approvals of the current version' }) approvals: ApprovalView[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'partners whose approval of this version is missing' }) awaitingApprovalFrom: string[];
  @ApiProperty({ description: 'starts at 1; each edit after an approval makes a new version' }) version: number;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) terminatedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) terminatedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) terminationReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AgreementVersionView extends AgreementView {
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'when a later edit replaced it; null for the current version' })
  supersededAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supersededBy: string | null;
}
