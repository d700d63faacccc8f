import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notification.entity.js';

export class MailJobCounts {
  @ApiProperty() queued: number;
  @ApiProperty() sending: number;
  @ApiProperty() sent: number;
  @ApiProperty() dead: number;
}

/** A mail given up after its last try: what went wrong, never to whom or what it said. */
export class DeadLetterView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

export class MailQueueView {
  @ApiProperty({ type: MailJobCounts }) counts: MailJobCounts;
  @ApiProperty({ type: [DeadLetterView], description: 'the 100 latest dead letters, newest first' }) dead: DeadLetterView[];
}
