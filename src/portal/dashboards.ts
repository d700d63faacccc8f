import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import type { Role } from '../users/user.entity.js';

/** What a role's home page shows: its template (under views/) and the data for it. */
export interface Dashboard {
  template: string;
  data: Record<string, unknown>;
}

export type DashboardSource = (caller: Caller) => Promise<Dashboard>;

/**
 * The home page of each role, registered by that role's pages module in its onModuleInit
 * (`dashboards.register('student', (caller) => ...)`), so that `/` knows none of them.
 */
@Injectable()
export class Dashboards {
  private readonly sources = new Map<Role, DashboardSource>();

  register(role: Role, source: DashboardSource): void {
    if (this.sources.has(role)) throw new Error(`a dashboard for ${role} is registered twice`);
    this.sources.set(role, source);
  }

  async of(caller: Caller): Promise<Dashboard | null> {
    const source = this.sources.get(caller.role);
    return source ? source(caller) : null;
  }
}
