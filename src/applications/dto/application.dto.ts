import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IsCalendarDate, IsInstant } from '../../common/validation/dates.js';
import { NestedObject, OptionalNotNull } from '../../common/validation/validators.js';
import { CEFR_LEVELS } from '../../common/languages.js';
import { APPLICATION_STATUSES, GENDERS, TRANSPORT_MODES, type ApplicationStatus, type Gender, type TransportMode } from '../application.entity.js';
import { TRANSITION_NAMES, type TransitionName } from '../application.state-machine.js';

const LANGUAGE = /^[a-z]{2}$/;

export class LanguageLevelDto {
  @ApiProperty({ description: 'ISO 639-1', example: 'fr' })
  @IsString()
  @Matches(LANGUAGE, { message: '$property must be an ISO 639-1 language code such as fr' })
  language: string;

  @ApiProperty({ enum: [...CEFR_LEVELS, 'native'], example: 'B2' })
  @IsIn([...CEFR_LEVELS, 'native'])
  level: string;
}

export class MatchingProfileDto {
  @ApiProperty({ type: [String], description: 'ISO 639-1 codes spoken', example: ['fr', 'en'] })
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(LANGUAGE, { each: true, message: 'each value in $property must be an ISO 639-1 language code' })
  languages: string[];

  @ApiProperty({ type: [String], example: ['vegetarian'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  diet: string[];

  @ApiProperty({ type: [String], example: ['cats'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  allergies: string[];

  @ApiProperty()
  @IsBoolean()
  smoker: boolean;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  notes: string;
}

/** What the student gives; every field may be completed later while the application is a draft. */
export class ApplicationFieldsDto {
  @ApiPropertyOptional({ maxLength: 10000 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(10_000)
  motivation?: string;

  @ApiPropertyOptional({ type: [LanguageLevelDto] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @NestedObject(() => LanguageLevelDto, { each: true })
  languageLevels?: LanguageLevelDto[];

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String })
  @IsOptional()
  @IsCalendarDate()
  dateOfBirth?: string | null;

  @ApiPropertyOptional({ enum: GENDERS, nullable: true })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender | null;

  @ApiPropertyOptional({ type: MatchingProfileDto, nullable: true })
  @IsOptional()
  @NestedObject(() => MatchingProfileDto)
  matchingProfile?: MatchingProfileDto | null;
}

export class CreateApplicationDto extends ApplicationFieldsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId: string;
}

export class ListApplicationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: ApplicationStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programId?: string;

  @ApiPropertyOptional({ enum: ['incoming', 'outgoing'], description: "relative to the caller's institution" })
  @IsOptional()
  @IsIn(['incoming', 'outgoing'])
  direction?: 'incoming' | 'outgoing';
}

/** Body of the transitions; `arrivedAt` is for check-in only. */
export class ApplicationTransitionDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'required by reject and cancel' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'check-in: when the student arrived (not in the future); default now' })
  @IsOptional()
  @IsInstant()
  arrivedAt?: string;
}

export class TravelDetailsView {
  @ApiProperty({ format: 'date-time', description: 'with the offset it was given with' }) arrivalAt: string;
  @ApiProperty({ enum: TRANSPORT_MODES }) transportMode: TransportMode;
  @ApiProperty({ description: 'flight or train number' }) reference: string;
  @ApiProperty() arrivalPoint: string;
  @ApiProperty() needsPickup: boolean;
}

export class LanguageLevelView {
  @ApiProperty() language: string;
  @ApiProperty() level: string;
}

export class ApplicationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty() studentName: string;
  @ApiProperty({ format: 'uuid' }) sendingInstitutionId: string;
  @ApiProperty({ format: 'uuid' }) receivingInstitutionId: string;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status: ApplicationStatus;
  @ApiPropertyOptional({ description: 'not shown to host-school staff' }) motivation?: string;
  @ApiPropertyOptional({ type: [LanguageLevelView] }) languageLevels?: LanguageLevelView[];
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) dateOfBirth?: string | null;
  @ApiPropertyOptional({ enum: GENDERS, nullable: true }) gender?: Gender | null;
  @ApiPropertyOptional({ type: MatchingProfileDto, nullable: true }) matchingProfile?: MatchingProfileDto | null;
  @ApiPropertyOptional({ nullable: true, type: Boolean, description: "coordinators: whether the declared levels meet the programme's requirement (null: none required)" })
  meetsLanguageRequirement?: boolean | null;
  @ApiProperty({ enum: TRANSITION_NAMES, isArray: true, description: 'what the caller may do now' }) allowedTransitions: TransitionName[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) arrivedAt: string | null;
  @ApiProperty({ type: TravelDetailsView, nullable: true, description: 'PUT /applications/{id}/travel' }) travel: TravelDetailsView | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "its live placement (a PlacementView): for the receiving institution's staff and admins while proposed or accepted; for the student once accepted, with the family's address and contact",
  })
  placement?: unknown;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class HistoryEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: `a transition (${TRANSITION_NAMES.join(', ')}), create, or a change of its placement (placement.propose, placement.accept, placement.decline, placement.cancel, placement.end)` }) action: string;
  @ApiProperty({ enum: APPLICATION_STATUSES, nullable: true, description: "the application's status before; for a placement's or the travel's change, its status at the time (a placement's own are in details)" }) from: ApplicationStatus | null;
  @ApiProperty({ enum: APPLICATION_STATUSES, description: "the application's status after" }) to: ApplicationStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty() role: string;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'for a placement: placementId, hostFamilyId, from, to' }) details: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}
