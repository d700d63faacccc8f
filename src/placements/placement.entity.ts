import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import type { Application } from '../applications/application.entity.js';
import type { HostFamily } from '../host-families/host-family.entity.js';

export const PLACEMENT_STATUSES = ['proposed', 'accepted', 'declined', 'cancelled', 'ended'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

/** Statuses that take a bed: on no day may they exceed the family's capacity. */
export const LIVE_PLACEMENT: readonly PlacementStatus[] = ['proposed', 'accepted'];

/**
 * A student placed with a host family for some days of the stay (both dates included).
 * The student and the receiving institution are copied from the application (they never
 * change), so that each role's list is one index range.
 */
@Entity('placements')
// One live placement per application; the service checks first, this stops a race.
@Index('UQ_placements_live_application', ['applicationId'], { unique: true, where: "status IN ('proposed', 'accepted')" })
// The beds taken on a family's days: read under the family's row lock and by matching.
@Index('IDX_placements_family_live', ['hostFamilyId', 'startsOn', 'endsOn'], { where: "status IN ('proposed', 'accepted')" })
@Index('IDX_placements_institution', ['receivingInstitutionId', 'createdAt', 'id'])
@Index('IDX_placements_family', ['hostFamilyId', 'createdAt', 'id'])
@Index('IDX_placements_student', ['studentId', 'createdAt', 'id'], { where: 'accepted_at IS NOT NULL' })
@Index('IDX_placements_application', ['applicationId', 'createdAt'])
@Check('CHK_placements_dates', '"starts_on" <= "ends_on"')
export class Placement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @ManyToOne('Application', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<Application>;

  @Column({ name: 'host_family_id', type: 'uuid' })
  hostFamilyId: string;

  @ManyToOne('HostFamily', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'host_family_id' })
  hostFamily?: Relation<HostFamily>;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;

  /** The application's receiving institution, which manages the family. */
  @Column({ name: 'receiving_institution_id', type: 'uuid' })
  receivingInstitutionId: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  /** Changed only through placement.state-machine.ts. */
  @Column({ type: 'enum', enum: PLACEMENT_STATUSES, enumName: 'placement_status', default: 'proposed' })
  status: PlacementStatus;

  /** Set once accepted: from then on the student sees the placement and the family's contact. */
  @Column({ name: 'accepted_at', type: 'timestamptz', precision: 3, nullable: true })
  acceptedAt: Date | null;

  /** The day an accepted placement ended (early, with a reason, or at the end of the stay). */
  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn: string | null;

  /** Why it was declined, cancelled or ended early. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'proposed_by', type: 'uuid', nullable: true })
  proposedById: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
