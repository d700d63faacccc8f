import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many times a table has been written, kept by the database itself: a trigger on the
 * table (migration TableVersions) adds one in the writing transaction, whoever writes it
 * (this instance, another one on the same database, a script). A cache of what the table
 * holds is good as long as the version it was read at is the current one.
 */
@Entity('table_versions')
export class TableVersion {
  @PrimaryColumn({ name: 'table_name', type: 'varchar', length: 63 })
  tableName: string;

  /** bigint: read as a string */
  @Column({ type: 'bigint', default: 0 })
  version: string;
}
