import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg, { type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { TransactionHost } from '../transactions/transaction-host.js';

/**
 * A statement written once, whose text never changes: PostgreSQL parses and plans it once
 * per connection (a named prepared statement), and each call only binds its values. Rows
 * come back as the driver reads them (timestamptz as Date, jsonb parsed, date as a Date
 * too: select dates as `::text`), with the column names the text gives them.
 *
 * The name is the family's and a digest of the text, so one name never stands for two texts
 * (the driver refuses that), whichever module or process built it.
 */
export class PreparedQuery<Row extends QueryResultRow> {
  /** The row type, for the compiler only. */
  declare readonly row: Row;
  /** undefined: sent unnamed, parsed and planned on each call */
  readonly name: string | undefined;

  constructor(
    family: string,
    readonly text: string,
    named = true,
  ) {
    if (!/^[a-z][a-z0-9_]*$/.test(family)) throw new Error(`prepared statement family "${family}": lower case, digits and _ only`);
    this.name = named ? `${family}_${createHash('sha256').update(text).digest('base64url').slice(0, 16)}` : undefined;
  }
}

/** One statement, written once: `prepared<Row>('users_caller', 'SELECT …')`. */
export function prepared<Row extends QueryResultRow>(family: string, text: string): PreparedQuery<Row> {
  return new PreparedQuery<Row>(family, text);
}

/**
 * The statements of a query whose text depends on which filters are given: each
 * combination (the key) is written once, the first time it is asked for, and kept. Only
 * `max` combinations are kept and prepared: past them a text is written again on each call
 * and sent unnamed, which still works; it only keeps a client that tries every filter from
 * leaving a prepared statement per combination on every connection.
 */
export class StatementVariants<Row extends QueryResultRow> {
  private readonly byKey = new Map<string, PreparedQuery<Row>>();

  constructor(
    private readonly family: string,
    private readonly max = 32,
  ) {}

  of(key: string, text: () => string): PreparedQuery<Row> {
    const known = this.byKey.get(key);
    if (known) return known;
    if (this.byKey.size >= this.max) return new PreparedQuery<Row>(this.family, text(), false);
    const query = new PreparedQuery<Row>(this.family, text());
    this.byKey.set(key, query);
    return query;
  }
}

/** A server-side error of the statement (SQLSTATE, severity): the connection is still good. */
const isStatementError = (error: unknown): boolean => typeof (error as { severity?: unknown } | null)?.severity === 'string';

/**
 * Runs prepared statements through the driver, without TypeORM's query building and
 * entity hydration: for the reads every request makes (the caller, the lists, one object
 * with its parts). Inside a transaction (TransactionHost) a statement runs on that
 * transaction's connection, so it reads what the transaction wrote and holds its locks;
 * outside one it borrows a connection of the pool for the one statement. Errors are
 * TypeORM's QueryFailedError, as for every other query (the problem filter reads them).
 */
@Injectable()
export class PreparedStatements {
  constructor(
    private readonly tx: TransactionHost,
    private readonly dataSource: DataSource,
  ) {}

  async rows<Row extends QueryResultRow>(query: PreparedQuery<Row>, values: readonly unknown[]): Promise<Row[]> {
    if (this.tx.isActive()) {
      const client = (await this.tx.manager.queryRunner!.connect()) as PoolClient;
      return this.run(client, query, values);
    }
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await this.run(client, query, values);
    } catch (error) {
      // A connection that failed under the statement is not given back to the pool.
      if (!isStatementError((error as QueryFailedError).driverError)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** The first row, or null. */
  async first<Row extends QueryResultRow>(query: PreparedQuery<Row>, values: readonly unknown[]): Promise<Row | null> {
    return (await this.rows(query, values))[0] ?? null;
  }

  private run<Row extends QueryResultRow>(client: PoolClient, query: PreparedQuery<Row>, values: readonly unknown[]): Promise<Row[]> {
    // TypeORM's logger sees these statements as it sees its own (nothing is written unless logging is on).
    this.dataSource.logger.logQuery(query.text, values as unknown[]);
    return new Promise((resolve, reject) => {
      // The driver's own Query, made from the text and named afterwards: handed a config object instead, the driver copies
      // it property by property on every call first.
      const submitted = new pg.Query<Row>(query.text, values as unknown[], (error, result) => {
        if (!error) return resolve(result.rows);
        this.dataSource.logger.logQueryError(error, query.text, values as unknown[]);
        reject(new QueryFailedError(query.text, values as unknown[], error));
      });
      (submitted as unknown as { name?: string }).name = query.name;
      client.query(submitted);
    });
  }
}
