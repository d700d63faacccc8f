import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IsCalendarDate } from '../../common/validation/dates.js';
import { ToInteger } from '../../common/validation/validators.js';
import { TravelDetailsView } from '../../applications/dto/application.dto.js';
import { AddressView } from '../../host-families/dto/host-family.dto.js';
import { PLACEMENT_STATUSES, type PlacementStatus } from '../placement.entity.js';
import { PLACEMENT_TRANSITIONS, type PlacementTransitionName } from '../placement.state-machine.js';

export class CreatePlacementDto {
  @ApiProperty({ format: 'uuid', description: 'an accepted or confirmed application of a programme with host-family accommodation' })
  @IsUUID()
  applicationId: string;

  @ApiProperty({ format: 'uuid', description: 'an approved, validly vetted family of the receiving institution' })
  @IsUUID()
  hostFamilyId: string;

  @ApiPropertyOptional({ format: 'date', description: "within the programme's stay; its first day by default" })
  @IsOptional()
  @IsCalendarDate()
  startsOn?: string;

  @ApiPropertyOptional({ format: 'date', description: "within the programme's stay (included); its last day by default" })
  @IsOptional()
  @IsCalendarDate()
  endsOn?: string;
}

export class ListPlacementsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLACEMENT_STATUSES })
  @IsOptional()
  @IsIn(PLACEMENT_STATUSES)
  status?: PlacementStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  hostFamilyId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  applicationId?: string;
}

export const AGE_BANDS = ['minor', 'adult'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** What the family (and the staff) learn of the student: never documents, motivation, date of birth or other applications. */
export class PlacedStudentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: AGE_BANDS, description: 'on the first day of the placement; minor when the date of birth is unknown' }) ageBand: AgeBand;
  @ApiProperty({ type: [String], description: 'ISO 639-1' }) languages: string[];
  @ApiProperty({ type: [String] }) diet: string[];
  @ApiProperty({ type: [String] }) allergies: string[];
}

export class PlacementFamilyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiPropertyOptional({ type: AddressView, description: "the managing institution's staff, the family, and the student once accepted" }) address?: AddressView;
  @ApiPropertyOptional() contactEmail?: string;
  @ApiPropertyOptional() contactPhone?: string;
}

export class PlacementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ format: 'uuid' }) hostFamilyId: string;
  @ApiProperty({ format: 'uuid' }) receivingInstitutionId: string;
  @ApiProperty({ enum: PLACEMENT_STATUSES }) status: PlacementStatus;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date', description: 'the last night, included' }) endsOn: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) endedOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'why it was declined, cancelled or ended early' }) reason: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) acceptedAt: string | null;
  @ApiProperty({ type: PlacedStudentView }) student: PlacedStudentView;
  @ApiProperty({ type: PlacementFamilyView }) family: PlacementFamilyView;
  @ApiProperty({ type: TravelDetailsView, nullable: true, description: 'how and when the student arrives, once given' }) travel: TravelDetailsView | null;
  @ApiProperty({ enum: PLACEMENT_TRANSITIONS, isArray: true }) allowedTransitions: PlacementTransitionName[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class MatchesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'the best this many' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class CriterionView {
  @ApiProperty({ enum: ['languages', 'programme_language', 'diet', 'smoking', 'commute'] }) criterion: string;
  @ApiProperty() points: number;
  @ApiProperty() maxPoints: number;
  @ApiProperty() reason: string;
}

export class MatchView {
  @ApiProperty({ format: 'uuid' }) hostFamilyId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) score: number;
  @ApiProperty({ type: [String], description: "one per criterion, in the caller's language" }) reasons: string[];
  @ApiProperty({ type: [String] }) warnings: string[];
  @ApiProperty({ type: [CriterionView] }) criteria: CriterionView[];
  @ApiProperty({ description: 'beds free on every day of the stay' }) freeBeds: number;
  @ApiProperty({ nullable: true, type: Number }) commuteMinutes: number | null;
  @ApiProperty({ format: 'date' }) vettingExpiresOn: string;
}

export class MatchesView {
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty({ type: [MatchView], description: 'best first; ties by id' }) items: MatchView[];
}
