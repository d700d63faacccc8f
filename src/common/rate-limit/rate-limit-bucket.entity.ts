import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A fixed-window counter, kept in PostgreSQL so that every API instance shares it. */
@Entity('rate_limit_buckets')
export class RateLimitBucket {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  @Index('IDX_rate_limit_buckets_resets_at')
  @Column({ name: 'resets_at', type: 'timestamptz' })
  resetsAt: Date;
}
