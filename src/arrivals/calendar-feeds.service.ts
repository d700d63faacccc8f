import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import { UsersRepository } from '../users/users.repository.js';
import { boardInstitutionOf } from './arrival.rules.js';
import { ArrivalsService } from './arrivals.service.js';
import { CalendarFeedsRepository } from './calendar-feeds.repository.js';
import type { ArrivalsFeedQuery } from './dto/arrival.dto.js';

/** A calendar link as its owner sees it: the secret to put in the address, and when it was made. */
export interface CalendarLink {
  token: string;
  createdAt: string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Subscription links to the arrivals board's calendar feed, for calendar applications,
 * which send neither a session cookie nor a bearer token. Each board user has at most one;
 * making a new one revokes the old. The feed is what `ArrivalsService.feed` gives the link's
 * user at the time it is read (its role and institution then: a user who left the board's
 * roles, or whose account was erased, has no feed).
 */
@Injectable()
export class CalendarFeedsService {
  private readonly key: Buffer;

  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly feeds: CalendarFeedsRepository,
    private readonly users: UsersRepository,
    private readonly arrivals: ArrivalsService,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.key = createHmac('sha256', settings.jwtSecret).update('calendar-feed').digest();
  }

  /** The secret of a link: derived from its row's id with the server's key (the database alone cannot give it). */
  private secretOf(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url');
  }

  private hashOf(secret: string): string {
    return createHash('sha256').update(secret).digest('hex');
  }

  private mustSeeBoard(caller: Caller): void {
    if (boardInstitutionOf(caller, undefined) === 'forbidden') throw CommonErrors.forbidden();
  }

  /** The caller's link, or null before it made one (or when the server's key changed since: that link no longer works). */
  async linkOf(caller: Caller): Promise<CalendarLink | null> {
    this.mustSeeBoard(caller);
    const row = await this.feeds.ofUser(caller.id);
    const token = row ? this.secretOf(row.id) : null;
    return row && token && this.hashOf(token) === row.tokenHash ? { token, createdAt: row.createdAt.toISOString() } : null;
  }

  /** A new link for the caller; its earlier one stops working. */
  async renew(caller: Caller): Promise<CalendarLink> {
    this.mustSeeBoard(caller);
    return this.tx.run(async () => {
      const id = randomUUID();
      const row = await this.feeds.replace(caller.id, id, this.hashOf(this.secretOf(id)));
      await this.audit.record({ action: 'calendar_feed.renew', targetType: 'user', targetId: caller.id, institutionIds: [caller.institutionId] });
      return { token: this.secretOf(row.id), createdAt: row.createdAt.toISOString() };
    });
  }

  /** The iCalendar feed of the link's user; 404 for a link that is not (or no longer) one. */
  async feed(token: string, query: ArrivalsFeedQuery): Promise<string> {
    const row = TOKEN.test(token) ? await this.feeds.byHash(this.hashOf(token)) : null;
    const user = row ? await this.users.findCaller(row.userId) : null;
    if (!user || boardInstitutionOf(user, undefined) === 'forbidden') throw CommonErrors.notFound('calendar_feed');
    return this.arrivals.feed(user, query);
  }
}
