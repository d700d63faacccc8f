import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Institution } from '../institutions/institution.entity.js';
import type { User } from '../users/user.entity.js';

export const HOST_FAMILY_STATUSES = ['pending_vetting', 'approved', 'rejected', 'suspended'] as const;
export type HostFamilyStatus = (typeof HOST_FAMILY_STATUSES)[number];

export const GENDER_PREFERENCES = ['any', 'female', 'male'] as const;
export type GenderPreference = (typeof GENDER_PREFERENCES)[number];

export const VETTING_OUTCOMES = ['approved', 'rejected'] as const;
export type VettingOutcome = (typeof VETTING_OUTCOMES)[number];

export interface Address {
  line1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

/**
 * A family that hosts incoming students, managed by one institution (its coordinators vet
 * and place; its host-school staff read). Contact details and address are personal data
 * (host-family.view.ts decides who reads them).
 */
@Entity('host_families')
@Index('IDX_host_families_institution_name', ['institutionId', 'displayName', 'id'])
// Matching reads only approved families of one institution whose vetting is still valid.
@Index('IDX_host_families_matching', ['institutionId', 'vettingExpiresOn'], { where: "status = 'approved'" })
@Check('CHK_host_families_capacity', '"capacity" BETWEEN 1 AND 20')
@Check('CHK_host_families_availability', '"available_from" <= "available_to"')
export class HostFamily {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The managing institution. */
  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id' })
  institution?: Relation<Institution>;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  @Column({ name: 'contact_email', type: 'varchar', length: 254 })
  contactEmail: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 40 })
  contactPhone: string;

  @Column({ type: 'jsonb' })
  address: Address;

  /** Beds: on no day may proposed + accepted placements exceed it. */
  @Column({ type: 'int' })
  capacity: number;

  /** ISO 639-1 codes spoken at home. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages: string[];

  @Column({ name: 'has_pets', type: 'boolean', default: false })
  hasPets: boolean;

  /** Stored lower-case and singular (`cat`, `dog`), as students' allergies are compared with them. */
  @Column({ name: 'pet_types', type: 'text', array: true, default: () => "'{}'" })
  petTypes: string[];

  @Column({ name: 'smoking_household', type: 'boolean', default: false })
  smokingHousehold: boolean;

  /** Stored lower-case (`vegetarian`, `halal`). */
  @Column({ name: 'diets_supported', type: 'text', array: true, default: () => "'{}'" })
  dietsSupported: string[];

  @Column({ name: 'accepts_minors', type: 'boolean', default: false })
  acceptsMinors: boolean;

  @Column({ name: 'gender_preference', type: 'enum', enum: GENDER_PREFERENCES, enumName: 'host_family_gender_preference', default: 'any' })
  genderPreference: GenderPreference;

  @Column({ name: 'available_from', type: 'date' })
  availableFrom: string;

  @Column({ name: 'available_to', type: 'date' })
  availableTo: string;

  /** To the managing institution, door to door. */
  @Column({ name: 'commute_minutes', type: 'int', nullable: true })
  commuteMinutes: number | null;

  /** Changed only through host-family.state-machine.ts (vetting and suspension). */
  @Column({ type: 'enum', enum: HOST_FAMILY_STATUSES, enumName: 'host_family_status', default: 'pending_vetting' })
  status: HostFamilyStatus;

  /** The latest vetting's background check + 12 months: from that day on the family counts as unvetted. */
  @Column({ name: 'vetting_expires_on', type: 'date', nullable: true })
  vettingExpiresOn: string | null;

  @Column({ name: 'suspension_reason', type: 'text', nullable: true })
  suspensionReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** One vetting of a family: every one is kept, the latest decides. */
@Entity('host_family_vettings')
@Index('IDX_host_family_vettings_family', ['hostFamilyId', 'recordedAt'])
export class HostFamilyVetting {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'host_family_id', type: 'uuid' })
  hostFamilyId: string;

  @ManyToOne(() => HostFamily, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_family_id' })
  hostFamily?: Relation<HostFamily>;

  @Column({ name: 'background_check_on', type: 'date' })
  backgroundCheckOn: string;

  @Column({ name: 'home_visit_on', type: 'date' })
  homeVisitOn: string;

  @Column({ type: 'enum', enum: VETTING_OUTCOMES, enumName: 'host_family_vetting_outcome' })
  outcome: VettingOutcome;

  @Column({ type: 'text', default: '' })
  notes: string;

  /** backgroundCheckOn + 12 months */
  @Column({ name: 'expires_on', type: 'date' })
  expiresOn: string;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedById: string | null;

  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'recorded_by' })
  recordedBy?: Relation<User>;

  @Column({ name: 'recorder_role', type: 'varchar', length: 20 })
  recorderRole: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt: Date;
}
