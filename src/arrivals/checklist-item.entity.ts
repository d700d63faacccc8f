import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { Application } from '../applications/application.entity.js';

export const RESPONSIBLE_PARTIES = ['host_family', 'host_school'] as const;
export type ResponsibleParty = (typeof RESPONSIBLE_PARTIES)[number];

/**
 * One arrival formality of one student, generated at check-in from the receiving
 * institution's country (checklist.ts): due on a date of that institution's time zone.
 */
@Entity('checklist_items')
@Index('IDX_checklist_items_application', ['applicationId', 'dueOn', 'code', 'sequence'])
// Past due and not done: the board's overdue marking.
@Index('IDX_checklist_items_open', ['dueOn'], { where: 'completed_at IS NULL' })
export class ChecklistItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @ManyToOne('Application', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<Application>;

  @Column({ type: 'varchar', length: 40 })
  code: string;

  /** 1, 2, … for the repeated welfare checks; 1 otherwise. */
  @Column({ type: 'int', default: 1 })
  sequence: number;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  /** The due date rests on a calendar not yet fixed by decree (Russian working days of a year not in the data). */
  @Column({ type: 'boolean', default: false })
  provisional: boolean;

  @Column({ type: 'enum', enum: RESPONSIBLE_PARTIES, enumName: 'checklist_responsible' })
  responsible: ResponsibleParty;

  /** The family the student was placed with at check-in (it reads the checklist; it completes the items it is responsible for). */
  @Column({ name: 'host_family_id', type: 'uuid', nullable: true })
  hostFamilyId: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt: Date | null;

  @Column({ name: 'completed_by', type: 'uuid', nullable: true })
  completedById: string | null;

  @Column({ name: 'completed_by_role', type: 'varchar', length: 20, nullable: true })
  completedByRole: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
