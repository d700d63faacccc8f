import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Application } from '../applications/application.entity.js';

export interface Component {
  code: string;
  title: string;
  credits: number;
  term: string;
}

export const SIGNATORIES = ['student', 'sending_coordinator', 'receiving_coordinator'] as const;
export type Signatory = (typeof SIGNATORIES)[number];

export interface Signature {
  party: Signatory;
  signedBy: string;
  signedAt: string;
}

/**
 * The learning agreement of an application: what the student studies at the receiving
 * institution and what the home institution recognises. Signatures belong to the current
 * version; a change after any signature archives it and starts a new unsigned version.
 */
@Entity('learning_agreements')
export class LearningAgreement {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @OneToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<Application>;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  components: Component[];

  @Column({ name: 'recognized_components', type: 'jsonb', default: () => "'[]'" })
  recognizedComponents: Component[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  signatures: Signature[];

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** An earlier version, as it stood (with its signatures) when a change replaced it. */
@Entity('learning_agreement_versions')
export class LearningAgreementVersion {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  components: Component[];

  @Column({ name: 'recognized_components', type: 'jsonb' })
  recognizedComponents: Component[];

  @Column({ type: 'jsonb' })
  signatures: Signature[];

  @Column({ name: 'superseded_at', type: 'timestamptz', precision: 3 })
  supersededAt: Date;

  @Column({ name: 'superseded_by', type: 'uuid' })
  supersededBy: string;
}
