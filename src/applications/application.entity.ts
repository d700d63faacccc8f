import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
// Other domains' entities by name only: applications depend on them, never the other way.
import type { Program } from '../programs/program.entity.js';
import type { User } from '../users/user.entity.js';

export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'nominated',
  'waitlisted',
  'accepted',
  'confirmed',
  'arrived',
  'completed',
  'rejected',
  'declined',
  'withdrawn',
  'cancelled',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const GENDERS = ['female', 'male', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

export const TRANSPORT_MODES = ['plane', 'train', 'bus', 'car', 'other'] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

/** How the student arrives (SPEC section 3), given once the place is confirmed. */
export interface TravelDetails {
  /** ISO 8601 with the offset the student gave */
  arrivalAt: string;
  transportMode: TransportMode;
  reference: string;
  arrivalPoint: string;
  needsPickup: boolean;
}

export interface LanguageLevel {
  language: string;
  level: string;
}

export interface MatchingProfile {
  languages: string[];
  diet: string[];
  allergies: string[];
  smoker: boolean;
  notes: string;
}

/**
 * A student's application to a programme (one per student and programme). The sending and
 * receiving institutions are copied from the programme (they never change) so that the
 * lists of each side are one index range each.
 */
@Entity('applications')
@Index('UQ_applications_program_student', ['programId', 'studentId'], { unique: true })
@Index('IDX_applications_student', ['studentId', 'createdAt', 'id'])
// One index per list of SPEC section 2, partial on the moment from which that side sees it.
@Index('IDX_applications_outgoing', ['sendingInstitutionId', 'createdAt', 'id'], { where: 'submitted_at IS NOT NULL' })
@Index('IDX_applications_incoming', ['receivingInstitutionId', 'createdAt', 'id'], { where: 'nominated_at IS NOT NULL' })
@Index('IDX_applications_host_school', ['receivingInstitutionId', 'createdAt', 'id'], { where: 'accepted_at IS NOT NULL' })
@Index('IDX_applications_created', ['createdAt', 'id'])
@Index('IDX_applications_program_status', ['programId', 'status'])
// The arrivals board: the receiving institution's arrivals in time order.
@Index('IDX_applications_arrivals', ['receivingInstitutionId', 'expectedArrivalAt', 'id'], { where: 'expected_arrival_at IS NOT NULL' })
export class Application {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne('Program', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'student_id' })
  student?: Relation<User>;

  @Column({ name: 'sending_institution_id', type: 'uuid' })
  sendingInstitutionId: string;

  @Column({ name: 'receiving_institution_id', type: 'uuid' })
  receivingInstitutionId: string;

  /** Changed only through the transition table (application.state-machine.ts). */
  @Column({ type: 'enum', enum: APPLICATION_STATUSES, enumName: 'application_status', default: 'draft' })
  status: ApplicationStatus;

  @Column({ type: 'text', default: '' })
  motivation: string;

  @Column({ name: 'language_levels', type: 'jsonb', default: () => "'[]'" })
  languageLevels: LanguageLevel[];

  @Column({ name: 'date_of_birth', type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'enum', enum: GENDERS, enumName: 'application_gender', nullable: true })
  gender: Gender | null;

  @Column({ name: 'matching_profile', type: 'jsonb', nullable: true })
  matchingProfile: MatchingProfile | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', precision: 3, nullable: true })
  submittedAt: Date | null;

  /** Set once nominated: from then on the receiving side sees the application. */
  @Column({ name: 'nominated_at', type: 'timestamptz', precision: 3, nullable: true })
  nominatedAt: Date | null;

  /** Set once accepted: from then on the receiving host school sees the application. */
  @Column({ name: 'accepted_at', type: 'timestamptz', precision: 3, nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'arrived_at', type: 'timestamptz', precision: 3, nullable: true })
  arrivedAt: Date | null;

  /** Travel details (PUT /applications/{id}/travel, src/arrivals/), editable until check-in. */
  @Column({ type: 'jsonb', nullable: true })
  travel: TravelDetails | null;

  /** `travel.arrivalAt` as an instant: the arrivals board's order. */
  @Column({ name: 'expected_arrival_at', type: 'timestamptz', precision: 3, nullable: true })
  expectedArrivalAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** What a history entry about a part of the application records (a placement: placementId, hostFamilyId, from, to). */
export type HistoryDetails = Record<string, string | number | boolean | null>;

/** One transition of one application: written in the same transaction as the change. */
@Entity('application_history')
@Index('IDX_application_history_application', ['applicationId', 'seq'])
export class ApplicationHistoryEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of writing, across requests (timestamps can tie). */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<Application>;

  @Column({ type: 'varchar', length: 30 })
  action: string;

  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true })
  fromStatus: ApplicationStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 20 })
  toStatus: ApplicationStatus;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 20 })
  actorRole: string;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** What an entry about something of the application says besides its status (e.g. a placement: its id, family and statuses). */
  @Column({ type: 'jsonb', nullable: true })
  details: HistoryDetails | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
