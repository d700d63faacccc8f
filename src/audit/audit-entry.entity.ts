import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One entry of the audit log (schema `audit`, owned by a role the application is not:
 * src/database/app-role.ts): who (actor and role) did what (action) to which object
 * (target), the status before and after, the comment or reason given, when (UTC), from
 * which request and address. Append-only: the database refuses UPDATE, DELETE and TRUNCATE
 * (a trigger, and the application's role has no such privilege; migration AuditLog).
 *
 * Hash-chained: `seq` numbers the entries without gaps, `prevHash` is the hash of the
 * entry before, `hash` is SHA-256 over `prevHash` and the entry's canonical content
 * (audit-chain.ts). `GET /audit/verify` walks the chain and names the first entry changed,
 * removed or inserted behind the application's back.
 */
@Entity({ name: 'audit_log', schema: 'audit' })
@Index('IDX_audit_log_seq', ['seq'], { unique: true })
@Index('IDX_audit_log_actor', ['actorId', 'seq'])
@Index('IDX_audit_log_target', ['targetId', 'seq'])
@Index('IDX_audit_log_action', ['action', 'seq'])
// A GIN index for the coordinators' filter (`institution_ids && …`), made by the migration.
@Index('IDX_audit_log_institutions', { synchronize: false })
export class AuditEntry {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'timestamptz', precision: 3 })
  at: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 20, nullable: true })
  actorRole: string | null;

  /** `<resource>.<verb>`: `application.accept`, `auth.login_failed`, `document.download`, `access.denied`… */
  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 30 })
  targetType: string;

  @Column({ name: 'target_id', type: 'uuid', nullable: true })
  targetId: string | null;

  /** The institutions whose object it is: their coordinators read the entry. */
  @Column({ name: 'institution_ids', type: 'uuid', array: true, default: () => "'{}'" })
  institutionIds: string[];

  @Column({ name: 'from_status', type: 'varchar', length: 30, nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 30, nullable: true })
  toStatus: string | null;

  /**
   * The comment or reason given with the change; null when none was, or once erased (a
   * person's erasure clears the comments that name it: the only change the database lets
   * through, and `commentSha256` keeps the chain whole).
   */
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /** SHA-256 of the comment as written, covered by the hash. */
  @Column({ name: 'comment_sha256', type: 'char', length: 64, nullable: true })
  commentSha256: string | null;

  /** What else identifies the change (ids, fields changed, an HTTP status): never a secret or a person's data. */
  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true })
  requestId: string | null;

  /** The client's address; null once erased with the person who acted (its digest stays in the chain). */
  @Column({ name: 'client_address', type: 'varchar', length: 64, nullable: true })
  clientAddress: string | null;

  /** SHA-256 of the client address as recorded, covered by the hash. */
  @Column({ name: 'client_address_sha256', type: 'char', length: 64, nullable: true })
  clientAddressSha256: string | null;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}

/**
 * The head of the chain: one row, the last entry's `seq` and `hash`. Appending locks it
 * (so concurrent writers take turns and never fork the chain) and moves it in the same
 * transaction; `verify` compares the last entry with it, so a removed tail shows.
 */
@Entity({ name: 'audit_chain', schema: 'audit' })
@Check('CHK_audit_chain_single', 'id = 1')
export class AuditChainHead {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
