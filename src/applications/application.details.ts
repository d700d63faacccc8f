import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import type { Application } from './application.entity.js';

/** Reads one part for a page of applications: by application id, what this caller may see of it (absent: nothing). */
export type DetailReader = (caller: Caller, applications: readonly Application[]) => Promise<Map<string, unknown>>;

/**
 * What other domains add to an application's answer without the applications module
 * knowing them: placements its placement; arrivals its travel details and checklist. Each
 * part is read once per page (one query for all its applications) and decides itself what
 * the caller may see. Registered in the owner's onModuleInit; a part named twice is
 * refused at start.
 */
@Injectable()
export class ApplicationDetails {
  private readonly parts = new Map<string, { owner: string; read: DetailReader }>();

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

  /** Who registered what: for tests and for a newcomer reading the wiring. */
  registered(): { name: string; owner: string }[] {
    return [...this.parts].map(([name, { owner }]) => ({ name, owner }));
  }
}
