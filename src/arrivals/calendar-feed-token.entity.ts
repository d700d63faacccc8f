import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * A calendar subscription link to the arrivals board: a calendar application fetches the
 * feed by itself, without a browser session or a bearer token, so the link carries a secret
 * of its own. The secret is derived from the row's id with a server key (so the page can
 * show it again); the database keeps only its SHA-256, by which the feed finds its user.
 * One link per user: a new one replaces (deletes) the old.
 */
@Entity('calendar_feed_tokens')
export class CalendarFeedToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('UQ_calendar_feed_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Index('UQ_calendar_feed_tokens_user', { unique: true })
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
