import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import type { Application, ApplicationHistoryEntry } from './application.entity.js';

/** Reads one part for a page of applications: by application id, what this caller may see of it (absent: nothing). */
export type DetailReader = (caller: Caller, applications: readonly Application[]) => Promise<Map<string, unknown>>;

/** Of the history entries a domain wrote about its part of an application, the ids of those this caller may read. */
export type HistoryReader = (caller: Caller, entries: readonly ApplicationHistoryEntry[]) => Promise<ReadonlySet<string>>;

/**
 * What other domains add to an application's answer without the applications module
 * knowing them (placements: its placement), and which of their history entries a caller
 * reads. Each
 * part is read once per page (one query for all its applications) and decides itself what
 * the caller may see. Registered in the owner's onModuleInit; a part named twice is
 * refused at start.
 */
@Injectable()
export class ApplicationDetails {
  private readonly parts = new Map<string, { owner: string; read: DetailReader }>();
  private readonly histories = new Map<string, { owner: string; read: HistoryReader }>();

  register(name: string, owner: string, read: DetailReader): void {
    const before = this.parts.get(name);
    if (before) throw new Error(`${owner} registers the application detail "${name}", already registered by ${before.owner}`);
    this.parts.set(name, { owner, read });
  }

  /** The parts of each application, by its id. */
  async of(caller: Caller, applications: readonly Application[]): Promise<Map<string, Record<string, unknown>>> {
    const byApplication = new Map<string, Record<string, unknown>>(applications.map((a) => [a.id, {}]));
    if (!applications.length) return byApplication;
    for (const [name, { read }] of this.parts) {
      const values = await read(caller, applications);
      for (const [id, value] of values) {
        const parts = byApplication.get(id);
        if (parts) parts[name] = value;
      }
    }
    return byApplication;
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
