import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IsCalendarDate, IsInstant } from '../../common/validation/dates.js';
import { Trim } from '../../common/validation/validators.js';
import { AddressView } from '../../host-families/dto/host-family.dto.js';
import { TRANSPORT_MODES, type TransportMode } from '../../applications/application.entity.js';
import { TravelDetailsView } from '../../applications/dto/application.dto.js';
import { RESPONSIBLE_PARTIES, type ResponsibleParty } from '../checklist-item.entity.js';

export class PutTravelDto {
  @ApiProperty({ format: 'date-time', example: '2027-09-01T14:35:00+03:00', description: 'with its offset' })
  @IsInstant()
  arrivalAt: string;

  @ApiProperty({ enum: TRANSPORT_MODES })
  @IsIn(TRANSPORT_MODES)
  transportMode: TransportMode;

  @ApiPropertyOptional({ maxLength: 40, example: 'SU 1140', description: 'flight or train number' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(40)
  reference?: string;

  @ApiProperty({ maxLength: 200, example: 'Krasnodar airport (KRR)' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  arrivalPoint: string;

  @ApiProperty()
  @IsBoolean()
  needsPickup: boolean;
}

export const BOARD_STATUSES = ['expected', 'arrived', 'overdue'] as const;
export type BoardStatus = (typeof BOARD_STATUSES)[number];

/** The feed's filters: the board's, without pages (a calendar gets every event, up to its limit). */
export class ArrivalsFeedQuery {
  @ApiPropertyOptional({ format: 'date', description: "arriving on or after this day (in the receiving institution's time zone)" })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: "arriving on or before this day (in the receiving institution's time zone)" })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ enum: BOARD_STATUSES, description: 'overdue: not checked in 24 hours after arrivalAt, or a checklist item past due' })
  @IsOptional()
  @IsIn(BOARD_STATUSES)
  status?: BoardStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'admins: one receiving institution' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;
}

/** The board's filters and pages. */
export class ArrivalsQuery extends IntersectionType(PageQuery, ArrivalsFeedQuery) {}

export class ChecklistProgressView {
  @ApiProperty() total: number;
  @ApiProperty() done: number;
  @ApiProperty() overdue: number;
}

export class BoardFamilyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: AddressView }) address: AddressView;
  @ApiProperty() contactPhone: string;
}

export class ArrivalView {
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() programTitle: string;
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty() studentName: string;
  @ApiProperty({ enum: ['confirmed', 'arrived'] }) applicationStatus: string;
  @ApiProperty({ enum: BOARD_STATUSES }) status: BoardStatus;
  @ApiProperty({ type: TravelDetailsView }) travel: TravelDetailsView;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) arrivedAt: string | null;
  @ApiProperty({ type: BoardFamilyView, nullable: true, description: 'its accepted placement' }) family: BoardFamilyView | null;
  @ApiProperty({ type: ChecklistProgressView }) checklist: ChecklistProgressView;
}

export class ChecklistItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty({ description: 'welfare checks: 1, 2, …' }) sequence: number;
  @ApiProperty({ description: "in the caller's language" }) title: string;
  @ApiProperty({ format: 'date', description: "a date of the receiving institution's time zone" }) dueOn: string;
  @ApiProperty({ description: 'the due date rests on a Russian calendar whose decree is not in the data yet' }) provisional: boolean;
  @ApiProperty({ enum: RESPONSIBLE_PARTIES }) responsible: ResponsibleParty;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) hostFamilyId: string | null;
  @ApiProperty({ enum: ['open', 'done', 'overdue'] }) status: 'open' | 'done' | 'overdue';
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) completedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
}

export class CompleteItemDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
