import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { HostFamily } from '../host-families/host-family.entity.js';
import { Institution } from '../institutions/institution.entity.js';

export const ROLES = ['admin', 'coordinator', 'host_school', 'host_family', 'student'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['admin', 'coordinator', 'host_school', 'host_family'] as const satisfies readonly Role[];

export const LOCALES = ['en', 'fr', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

@Entity('users')
// Every role but admin acts within one institution: scope checks never meet a null one.
@Check('CHK_users_institution', `"role" = 'admin' OR "institution_id" IS NOT NULL`)
@Index('IDX_users_institution_email', ['institutionId', 'email'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased; unique. */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** argon2id; null until an invited user sets a password. Never leaves the service. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash: string | null;

  @Column({ name: 'full_name', type: 'varchar', length: 200 })
  fullName: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role' })
  role: Role;

  /** Staff: the institution they work for. Students: their home institution. Admins: optional. */
  @Column({ name: 'institution_id', type: 'uuid', nullable: true })
  institutionId: string | null;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id' })
  institution?: Relation<Institution>;

  /** host_family users: the family they act for (of their institution). */
  @Column({ name: 'host_family_id', type: 'uuid', nullable: true })
  hostFamilyId: string | null;

  @ManyToOne(() => HostFamily, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'host_family_id' })
  hostFamily?: Relation<HostFamily>;

  @Column({ type: 'enum', enum: LOCALES, enumName: 'user_locale', default: 'en' })
  locale: Locale;

  /** Per kind of event: `{ "application.nominated": { "email": false } }` turns its e-mail off (never the in-app copy). */
  @Column({ name: 'notification_preferences', type: 'jsonb', default: () => "'{}'" })
  notificationPreferences: Record<string, { email?: boolean }>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /**
   * When the person's data was erased (`POST /me/erase`, or the retention job): the row stays
   * for what others' records point to, anonymised, and the account can no longer be used.
   */
  @Column({ name: 'erased_at', type: 'timestamptz', precision: 3, nullable: true })
  erasedAt: Date | null;
}
