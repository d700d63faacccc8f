import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { CalendarFeedToken } from './calendar-feed-token.entity.js';

/** The calendar subscription links (one per user, the secret's hash only). */
@Injectable()
export class CalendarFeedsRepository {
  constructor(private readonly tx: TransactionHost) {}

  ofUser(userId: string): Promise<CalendarFeedToken | null> {
    return this.tx.manager.findOne(CalendarFeedToken, { where: { userId } });
  }

  byHash(tokenHash: string): Promise<CalendarFeedToken | null> {
    return this.tx.manager.findOne(CalendarFeedToken, { where: { tokenHash } });
  }

  /** The user's link replaced by a new one (the old one stops working in the same transaction). */
  async replace(userId: string, id: string, tokenHash: string): Promise<CalendarFeedToken> {
    await this.tx.required.delete(CalendarFeedToken, { userId });
    await this.tx.required.insert(CalendarFeedToken, { id, userId, tokenHash });
    return (await this.tx.required.findOneBy(CalendarFeedToken, { id }))!;
  }
}
