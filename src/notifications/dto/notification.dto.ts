import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notification.entity.js';

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only those not read yet' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

/** One in-app notification, its texts in the caller's language (Accept-Language, then the saved locale). */
export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty({ enum: ['application', 'agreement', 'placement', 'checklist_item', 'host_family'] }) objectType: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) objectId: string | null;
  @ApiProperty() title: string;
  @ApiProperty() text: string;
  @ApiProperty({ format: 'uri', description: 'the page of the object, under PUBLIC_URL' }) link: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
}

export class ReadAllView {
  @ApiProperty({ description: 'how many were unread and are now read' }) marked: number;
}
