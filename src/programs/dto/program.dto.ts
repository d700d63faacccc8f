import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsAcademicYear } from '../../common/academic-year.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IsCalendarDate, IsInstant } from '../../common/validation/dates.js';
import { NestedObject, OptionalNotNull, Trim } from '../../common/validation/validators.js';
import { ACCOMMODATIONS, CEFR_LEVELS, DOCUMENT_TYPES, PROGRAM_STATUSES, type Accommodation, type CefrLevel, type DocumentType, type ProgramStatus } from '../program.entity.js';

export class LanguageRequirementDto {
  @ApiProperty({ description: 'ISO 639-1 code', example: 'fr' })
  @IsString()
  @Matches(/^[a-z]{2}$/, { message: '$property must be an ISO 639-1 language code such as fr' })
  language: string;

  @ApiProperty({ enum: CEFR_LEVELS, example: 'B1' })
  @IsIn(CEFR_LEVELS)
  minLevel: CefrLevel;
}

/** Fields a coordinator may set on creation and change later. */
class ProgramTermsDto {
  @ApiProperty({ maxLength: 300 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title: string;

  @ApiPropertyOptional({ maxLength: 20000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string;

  @ApiProperty({ example: '2027/2028' })
  @IsAcademicYear()
  academicYear: string;

  @ApiProperty({ format: 'date', example: '2027-09-01' })
  @IsCalendarDate()
  startsOn: string;

  @ApiProperty({ format: 'date', example: '2028-01-31' })
  @IsCalendarDate()
  endsOn: string;

  @ApiProperty({ format: 'date-time', example: '2027-01-15T00:00:00+01:00' })
  @IsInstant()
  applicationOpensAt: string;

  @ApiProperty({ format: 'date-time', example: '2027-04-30T23:59:59+02:00', description: 'before startsOn' })
  @IsInstant()
  applicationClosesAt: string;

  @ApiProperty({ minimum: 1, maximum: 10000, description: 'counted against the agreement quota of this direction and year' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  seats: number;

  @ApiPropertyOptional({ type: LanguageRequirementDto, nullable: true })
  @IsOptional()
  @NestedObject(() => LanguageRequirementDto)
  languageRequirement?: LanguageRequirementDto | null;

  @ApiPropertyOptional({ enum: DOCUMENT_TYPES, isArray: true, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(DOCUMENT_TYPES.length)
  @ArrayUnique()
  @IsIn(DOCUMENT_TYPES, { each: true })
  requiredDocuments?: DocumentType[];

  @ApiPropertyOptional({ enum: ACCOMMODATIONS, default: 'none' })
  @IsOptional()
  @IsIn(ACCOMMODATIONS)
  accommodation?: Accommodation;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  requiresLearningAgreement?: boolean;
}

export class CreateProgramDto extends ProgramTermsDto {
  @ApiProperty({ format: 'uuid', description: 'an active agreement' })
  @IsUUID()
  agreementId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sendingInstitutionId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  receivingInstitutionId: string;
}

/** Any subset of the terms; the agreement and the two institutions are fixed. */
export class UpdateProgramDto {
  @ApiPropertyOptional({ maxLength: 300 }) @OptionalNotNull() @Trim() @IsString() @IsNotEmpty() @MaxLength(300) title?: string;
  @ApiPropertyOptional({ maxLength: 20000 }) @OptionalNotNull() @IsString() @MaxLength(20_000) description?: string;
  @ApiPropertyOptional({ example: '2027/2028' }) @OptionalNotNull() @IsAcademicYear() academicYear?: string;
  @ApiPropertyOptional({ format: 'date' }) @OptionalNotNull() @IsCalendarDate() startsOn?: string;
  @ApiPropertyOptional({ format: 'date' }) @OptionalNotNull() @IsCalendarDate() endsOn?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @OptionalNotNull() @IsInstant() applicationOpensAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @OptionalNotNull() @IsInstant() applicationClosesAt?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 10000 }) @OptionalNotNull() @IsInt() @Min(1) @Max(10_000) seats?: number;

  @ApiPropertyOptional({ type: LanguageRequirementDto, nullable: true, description: 'null removes it' })
  @IsOptional()
  @NestedObject(() => LanguageRequirementDto)
  languageRequirement?: LanguageRequirementDto | null;

  @ApiPropertyOptional({ enum: DOCUMENT_TYPES, isArray: true })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(DOCUMENT_TYPES.length)
  @ArrayUnique()
  @IsIn(DOCUMENT_TYPES, { each: true })
  requiredDocuments?: DocumentType[];

  @ApiPropertyOptional({ enum: ACCOMMODATIONS }) @OptionalNotNull() @IsIn(ACCOMMODATIONS) accommodation?: Accommodation;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() requiresLearningAgreement?: boolean;
}

export class ListProgramsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROGRAM_STATUSES, description: 'as read: a published programme whose window has passed is closed' })
  @IsOptional()
  @IsIn(PROGRAM_STATUSES)
  status?: ProgramStatus;

  @ApiPropertyOptional({ example: '2027/2028' })
  @IsOptional()
  @IsAcademicYear()
  academicYear?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  receivingInstitutionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sendingInstitutionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agreementId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only published programmes whose application window is open now' })
  @IsOptional()
  @IsIn(['true', 'false'])
  open?: 'true' | 'false';
}

export class LanguageRequirementView {
  @ApiProperty() language: string;
  @ApiProperty({ enum: CEFR_LEVELS }) minLevel: CefrLevel;
}

export class ProgramView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ format: 'uuid' }) sendingInstitutionId: string;
  @ApiProperty({ format: 'uuid' }) receivingInstitutionId: string;
  @ApiProperty({ example: '2027/2028' }) academicYear: string;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty({ format: 'date-time' }) applicationOpensAt: string;
  @ApiProperty({ format: 'date-time' }) applicationClosesAt: string;
  @ApiProperty() seats: number;
  @ApiProperty({ type: LanguageRequirementView, nullable: true }) languageRequirement: LanguageRequirementView | null;
  @ApiProperty({ enum: DOCUMENT_TYPES, isArray: true }) requiredDocuments: DocumentType[];
  @ApiProperty({ enum: ACCOMMODATIONS }) accommodation: Accommodation;
  @ApiProperty() requiresLearningAgreement: boolean;
  @ApiProperty({ enum: PROGRAM_STATUSES, description: 'a published programme whose window has passed reads as closed' }) status: ProgramStatus;
  @ApiProperty({ description: 'published and the application window is open now' }) isOpen: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
