import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const INSTITUTION_KINDS = ['university', 'school'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

@Entity('institutions')
export class Institution {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('UQ_institutions_name', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'short_name', type: 'varchar', length: 50 })
  shortName: string;

  @Column({ type: 'varchar', length: 100 })
  city: string;

  /** ISO 3166-1 alpha-2 */
  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'enum', enum: INSTITUTION_KINDS, enumName: 'institution_kind' })
  kind: InstitutionKind;

  /** IANA zone: due dates of arrival formalities are dates in this zone. */
  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  @Column({ name: 'schac_code', type: 'varchar', length: 100, nullable: true })
  schacCode: string | null;

  @Column({ name: 'erasmus_code', type: 'varchar', length: 30, nullable: true })
  erasmusCode: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
