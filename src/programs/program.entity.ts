import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Agreement } from '../agreements/agreement.entity.js';
import type { CefrLevel } from '../common/languages.js';
import { Institution } from '../institutions/institution.entity.js';

export const PROGRAM_STATUSES = ['draft', 'published', 'closed', 'cancelled'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];

export const ACCOMMODATIONS = ['host_family', 'residence', 'none'] as const;
export type Accommodation = (typeof ACCOMMODATIONS)[number];

export const DOCUMENT_TYPES = ['transcript', 'motivation_letter', 'passport', 'language_certificate', 'insurance', 'parental_consent', 'transcript_of_records', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export { CEFR_LEVELS, type CefrLevel } from '../common/languages.js';

export interface LanguageRequirement {
  language: string;
  minLevel: CefrLevel;
}

/** A call for applications from one partner to another under an agreement. */
@Entity('programs')
@Index('IDX_programs_direction', ['agreementId', 'sendingInstitutionId', 'receivingInstitutionId', 'academicYear'])
@Index('IDX_programs_sending', ['sendingInstitutionId', 'startsOn', 'id'])
@Index('IDX_programs_receiving', ['receivingInstitutionId', 'startsOn', 'id'])
@Index('IDX_programs_starts', ['startsOn', 'id'])
@Check('CHK_programs_dates', '"starts_on" < "ends_on" AND "application_opens_at" < "application_closes_at"')
@Check('CHK_programs_seats', '"seats" >= 1')
@Check('CHK_programs_direction', '"sending_institution_id" <> "receiving_institution_id"')
export class Program {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'agreement_id', type: 'uuid' })
  agreementId: string;

  @ManyToOne(() => Agreement, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: Relation<Agreement>;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'sending_institution_id', type: 'uuid' })
  sendingInstitutionId: string;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sending_institution_id' })
  sendingInstitution?: Relation<Institution>;

  @Column({ name: 'receiving_institution_id', type: 'uuid' })
  receivingInstitutionId: string;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'receiving_institution_id' })
  receivingInstitution?: Relation<Institution>;

  @Column({ name: 'academic_year', type: 'char', length: 9 })
  academicYear: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @Column({ name: 'application_opens_at', type: 'timestamptz', precision: 3 })
  applicationOpensAt: Date;

  @Column({ name: 'application_closes_at', type: 'timestamptz', precision: 3 })
  applicationClosesAt: Date;

  @Column({ type: 'integer' })
  seats: number;

  @Column({ name: 'language_requirement', type: 'jsonb', nullable: true })
  languageRequirement: LanguageRequirement | null;

  @Column({ name: 'required_documents', type: 'text', array: true, default: () => "'{}'" })
  requiredDocuments: DocumentType[];

  @Column({ type: 'enum', enum: ACCOMMODATIONS, enumName: 'program_accommodation', default: 'none' })
  accommodation: Accommodation;

  @Column({ name: 'requires_learning_agreement', type: 'boolean', default: false })
  requiresLearningAgreement: boolean;

  /** As stored; a published programme whose window has passed reads as closed (see program.rules.ts). */
  @Column({ type: 'enum', enum: PROGRAM_STATUSES, enumName: 'program_status', default: 'draft' })
  status: ProgramStatus;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
