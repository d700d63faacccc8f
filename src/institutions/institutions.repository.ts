import { Injectable } from '@nestjs/common';
import { prepared, PreparedStatements, StatementVariants } from '../common/database/prepared-statements.js';
import { decodeCursor, DEFAULT_LIMIT, limitOf, pageOf, refuseForgedCursor, type Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { ListInstitutionsQuery } from './dto/institution.dto.js';
import { Institution } from './institution.entity.js';

/** An institution as its answer shows it (not when it was made or changed). */
export type ShownInstitution = Omit<Institution, 'createdAt' | 'updatedAt'>;

const SHOWN_COLUMNS = `i.id, i.name, i.short_name AS "shortName", i.city, i.country, i.kind, i.timezone, i.schac_code AS "schacCode", i.erasmus_code AS "erasmusCode"`;

const BY_ID = prepared<ShownInstitution>('institutions_by_id', `SELECT ${SHOWN_COLUMNS} FROM institutions i WHERE i.id = $1`);

/** The table's version (migration TableVersions: a trigger moves it on every write). */
const VERSION = prepared<{ version: string }>('institutions_version', `SELECT version FROM table_versions WHERE table_name = 'institutions'`);

/** Queries of institutions; each takes part in the caller's transaction when one is open. */
@Injectable()
export class InstitutionsRepository {
  private readonly pages = new StatementVariants<ShownInstitution>('institutions_page');

  constructor(
    private readonly tx: TransactionHost,
    private readonly statements: PreparedStatements,
  ) {}

  /** By name, filtered by country and kind: one statement per combination of filters. */
  async listPage(query: ListInstitutionsQuery): Promise<Page<ShownInstitution>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const cursor = query.cursor ? decodeCursor(query.cursor, 2) : null;
    // Values in the order the text places them; the page's size in the text, as every list's (ApplicationsRepository.listVisible says why).
    const country = query.country?.toUpperCase();
    const values: unknown[] = [country, query.kind, ...(cursor ?? [])].filter((value) => value !== undefined);
    const statement = this.pages.of(`country:${!!country} kind:${!!query.kind} cursor:${!!cursor} limit:${limit}`, () => {
      let n = 0;
      const next = () => `$${++n}`;
      const where = [country && `i.country = ${next()}`, query.kind && `i.kind = ${next()}`, cursor && `(i.name, i.id) > (${next()}, ${next()})`].filter(Boolean);
      if (n !== values.length) throw new Error(`institutions page: ${n} placeholders for ${values.length} values`);
      return `SELECT ${SHOWN_COLUMNS} FROM institutions i${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY i.name, i.id LIMIT ${limitOf(limit)}`;
    });
    try {
      return pageOf(await this.statements.rows(statement, values), limit, (last) => [last.name, last.id]);
    } catch (error) {
      refuseForgedCursor(error, query.cursor);
      throw error;
    }
  }

  /** Moves with every write of the table, whoever writes it: what was read at an older version may have changed. */
  async version(): Promise<string> {
    return (await this.statements.first(VERSION, []))?.version ?? '0';
  }

  count(): Promise<number> {
    return this.tx.manager.count(Institution);
  }

  findById(id: string): Promise<ShownInstitution | null> {
    return this.statements.first(BY_ID, [id]);
  }

  /** The new institution's id, or null when one of that name exists already. */
  async insertUnlessNameTaken(values: Omit<Institution, 'id' | 'createdAt' | 'updatedAt'>, then: (id: string) => Promise<void> = async () => undefined): Promise<string | null> {
    return this.tx.run(async () => {
      const result = await this.tx.required.createQueryBuilder().insert().into(Institution).values(values).orIgnore().returning('id').execute();
      const id = (result.raw as { id: string }[])[0]?.id ?? null;
      if (id) await then(id);
      return id;
    });
  }

  /**
   * False when the change would give it the name of another one. A transaction of its own:
   * the unique violation it catches would abort a caller's transaction.
   */
  async updateUnlessNameTaken(id: string, changes: Partial<Institution>, then: () => Promise<void> = async () => undefined): Promise<boolean> {
    if (this.tx.isActive()) throw new Error('updateUnlessNameTaken catches a unique violation: call it outside a transaction');
    try {
      await this.tx.run(async () => {
        await this.tx.required.update(Institution, { id }, changes);
        await then();
      });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return false;
      throw error;
    }
  }
}
