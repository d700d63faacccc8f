import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IsInstant } from '../../common/validation/dates.js';

export class ListAuditQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'entries of this actor' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'entries about this object' })
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @ApiPropertyOptional({ description: 'an action (`application.accept`) or every action of a resource (`application`)' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  @Matches(/^[a-z_]+(\.[a-z_-]+)?$/)
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'entries at or after this instant' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'entries before this instant' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

/** One audit entry. Coordinators read those of their institution's objects, without client addresses. */
export class AuditEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'position in the chain, from 1, without gaps' }) seq: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorRole: string | null;
  @ApiProperty({ example: 'application.accept' }) action: string;
  @ApiProperty({ example: 'application' }) targetType: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) targetId: string | null;
  @ApiProperty({ type: [String] }) institutionIds: string[];
  @ApiProperty({ nullable: true, type: String }) fromStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) toStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ description: 'a comment was given, and erased since with the person it named' }) commentErased: boolean;
  @ApiProperty({ nullable: true, type: Object }) details: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'admins only' }) clientAddress?: string | null;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class ChainBreakView {
  @ApiProperty({ description: 'seq of the first entry found broken' }) seq: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @ApiProperty({ enum: ['changed', 'removed', 'link_broken', 'inserted', 'tail_removed'] }) reason: string;
  @ApiPropertyOptional({ description: 'the seq that should have come here (removed entries)' }) expectedSeq?: string;
}

export class AuditVerificationView {
  @ApiProperty({ description: 'true when every entry is as written and none is missing or added' }) valid: boolean;
  @ApiProperty({ description: 'entries found intact before the first break (all, when valid)' }) checked: number;
  @ApiProperty({ description: 'the chain head: its last seq and hash, to keep elsewhere and compare later' }) head: { seq: string; hash: string };
  @ApiProperty({ type: ChainBreakView, nullable: true }) firstBroken: ChainBreakView | null;
  @ApiProperty({ format: 'date-time' }) verifiedAt: string;
}
