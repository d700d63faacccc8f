import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import type { Application, ApplicationHistoryEntry } from './application.entity.js';

/** The application a part is read for: its columns on every answer, and its student's name (null without a student row). */
export type DetailSubject = Pick<
  Application,
  'id' | 'programId' | 'studentId' | 'sendingInstitutionId' | 'receivingInstitutionId' | 'status' | 'dateOfBirth' | 'gender' | 'matchingProfile' | 'travel'
> & { studentName: string | null };

/**
 * One part of an application's answer that another domain adds, read in the application's
 * own statement (one statement per page, or per application) rather than in one of its own.
 */
export interface DetailPart {
  /**
   * SQL giving one value per application (usually a correlated subquery building JSON), or
   * null when there is none. It reads the application's row as `a` and only its `a.id`
   * (on lists `a` is the page, not the table).
   */
  sql: string;
  /** What this caller may see of that value on the answer; undefined leaves the part out. */
  read(caller: Caller, application: DetailSubject, value: unknown): unknown;
}

/** Of the history entries a domain wrote about its part of an application, the ids of those this caller may read. */
export type HistoryReader = (caller: Caller, entries: readonly ApplicationHistoryEntry[]) => Promise<ReadonlySet<string>>;

/**
 * What other domains add to an application's answer without the applications module
 * knowing them (placements: its placement), and which of their history entries a caller
 * reads. Each part is a column of the application's own statement (ApplicationsRepository),
 * and decides itself what the caller may see. Registered in the owner's onModuleInit,
 * before the first statement is written; a part named twice is refused at start.
 */
@Injectable()
export class ApplicationDetails {
  private readonly parts = new Map<string, { owner: string; part: DetailPart }>();
  private readonly histories = new Map<string, { owner: string; read: HistoryReader }>();
  /** Once the statements have their columns, a part registered later would be missing from them. */
  private sealed = false;

  register(name: string, owner: string, part: DetailPart): void {
    if (!/^[a-z][a-zA-Z]*$/.test(name)) throw new Error(`${owner} registers the application detail "${name}": letters only, as the answer's field`);
    if (this.sealed) throw new Error(`${owner} registers the application detail "${name}" after the applications' statements were written`);
    const before = this.parts.get(name);
    if (before) throw new Error(`${owner} registers the application detail "${name}", already registered by ${before.owner}`);
    this.parts.set(name, { owner, part });
  }

  /** The parts as columns of a statement over applications `a`: `, (sql) AS "part_name"` each. */
  columns(): string {
    this.sealed = true;
    return [...this.parts].map(([name, { part }]) => `, (${part.sql}) AS "part_${name}"`).join('');
  }

  /** The parts this caller sees of one application, from the columns of its row, in the order registered. */
  read(caller: Caller, application: DetailSubject, row: Record<string, unknown>): Record<string, unknown> {
    const parts: Record<string, unknown> = {};
    for (const [name, { part }] of this.parts) {
      const value = part.read(caller, application, row[`part_${name}`] ?? null);
      if (value !== undefined) parts[name] = value;
    }
    return parts;
  }

  /**
   * The entries another domain writes into the application's history (actions
   * `<prefix>.…`, e.g. `placement.decline`) are about its own objects: shown only to the
   * callers its rule lets see them, as its own routes would.
   */
  registerHistory(prefix: string, owner: string, read: HistoryReader): void {
    const before = this.histories.get(prefix);
    if (before) throw new Error(`${owner} registers the history entries "${prefix}.", already registered by ${before.owner}`);
    this.histories.set(prefix, { owner, read });
  }

  /** The entries of one application's history this caller may read, in their order. */
  async visibleHistory(caller: Caller, entries: readonly ApplicationHistoryEntry[]): Promise<ApplicationHistoryEntry[]> {
    const hidden = new Set<string>();
    for (const [prefix, { read }] of this.histories) {
      const theirs = entries.filter((entry) => entry.action.startsWith(`${prefix}.`));
      if (!theirs.length) continue;
      const shown = await read(caller, theirs);
      for (const entry of theirs) if (!shown.has(entry.id)) hidden.add(entry.id);
    }
    return entries.filter((entry) => !hidden.has(entry.id));
  }

  /** Who registered what: for tests and for a newcomer reading the wiring. */
  registered(): { name: string; owner: string }[] {
    return [...this.parts].map(([name, { owner }]) => ({ name, owner }));
  }

  registeredHistories(): { prefix: string; owner: string }[] {
    return [...this.histories].map(([prefix, { owner }]) => ({ prefix, owner }));
  }
}
