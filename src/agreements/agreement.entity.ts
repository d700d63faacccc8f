import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Institution } from '../institutions/institution.entity.js';

export const AGREEMENT_STATUSES = ['draft', 'active', 'terminated'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/**
 * A partnership (inter-institutional) agreement between two or more institutions. Its
 * partners, quotas and approvals are rows of their own; `version` counts the edits made
 * after an approval (earlier versions are kept in agreement_versions).
 */
@Entity('agreements')
@Index('IDX_agreements_created', ['createdAt', 'id'])
@Check('CHK_agreements_dates', '"starts_on" < "ends_on"')
export class Agreement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'enum', enum: AGREEMENT_STATUSES, enumName: 'agreement_status', default: 'draft' })
  status: AgreementStatus;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'terminated_at', type: 'timestamptz', nullable: true })
  terminatedAt: Date | null;

  @Column({ name: 'terminated_by', type: 'uuid', nullable: true })
  terminatedBy: string | null;

  @Column({ name: 'termination_reason', type: 'text', nullable: true })
  terminationReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @OneToMany(() => AgreementPartner, (partner) => partner.agreement)
  partners?: AgreementPartner[];

  @OneToMany(() => AgreementQuota, (quota) => quota.agreement)
  quotas?: AgreementQuota[];

  @OneToMany(() => AgreementApproval, (approval) => approval.agreement)
  approvals?: AgreementApproval[];
}

@Entity('agreement_partners')
@Index('IDX_agreement_partners_institution', ['institutionId', 'agreementId'])
export class AgreementPartner {
  @PrimaryColumn({ name: 'agreement_id', type: 'uuid' })
  agreementId: string;

  @PrimaryColumn({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  /** Order in which the partners were given (kept for display). */
  @Column({ type: 'smallint' })
  position: number;

  @ManyToOne(() => Agreement, (agreement) => agreement.partners, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: Relation<Agreement>;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id' })
  institution?: Relation<Institution>;
}

/** Seats from one partner to another in one academic year. */
@Entity('agreement_quotas')
@Index('UQ_agreement_quotas_direction_year', ['agreementId', 'fromInstitutionId', 'toInstitutionId', 'academicYear'], { unique: true })
@Check('CHK_agreement_quotas_seats', '"seats" >= 0')
@Check('CHK_agreement_quotas_direction', '"from_institution_id" <> "to_institution_id"')
export class AgreementQuota {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'agreement_id', type: 'uuid' })
  agreementId: string;

  @Column({ name: 'from_institution_id', type: 'uuid' })
  fromInstitutionId: string;

  @Column({ name: 'to_institution_id', type: 'uuid' })
  toInstitutionId: string;

  @Column({ name: 'academic_year', type: 'char', length: 9 })
  academicYear: string;

  @Column({ type: 'integer' })
  seats: number;

  @ManyToOne(() => Agreement, (agreement) => agreement.quotas, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: Relation<Agreement>;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_institution_id' })
  fromInstitution?: Relation<Institution>;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_institution_id' })
  toInstitution?: Relation<Institution>;
}

/** One partner's approval of the current version: who and when. */
@Entity('agreement_approvals')
export class AgreementApproval {
  @PrimaryColumn({ name: 'agreement_id', type: 'uuid' })
  agreementId: string;

  @PrimaryColumn({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @Column({ name: 'approved_by', type: 'uuid' })
  approvedBy: string;

  @Column({ name: 'approved_at', type: 'timestamptz', precision: 3 })
  approvedAt: Date;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @ManyToOne(() => Agreement, (agreement) => agreement.approvals, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: Relation<Agreement>;
}

/** An earlier version of an agreement, as it stood (with its approvals) before an edit. */
@Entity('agreement_versions')
export class AgreementVersion {
  @PrimaryColumn({ name: 'agreement_id', type: 'uuid' })
  agreementId: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  snapshot: Record<string, unknown>;

  @Column({ name: 'superseded_at', type: 'timestamptz', precision: 3 })
  supersededAt: Date;

  @Column({ name: 'superseded_by', type: 'uuid' })
  supersededBy: string;

  @ManyToOne(() => Agreement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: Relation<Agreement>;
}
