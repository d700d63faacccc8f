import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import type { Locale } from '../users/user.entity.js';
import type { ListNotificationsQuery, NotificationView } from './dto/notification.dto.js';
import { MailQueue } from './mail-queue.js';
import type { Notification, NotificationKind } from './notification.entity.js';
import { notificationTexts, renderMail, type NotificationParams } from './notification.templates.js';
import { NotificationErrors } from './notifications.errors.js';
import { NotificationsRepository } from './notifications.repository.js';

/** What a notification is about: its type names the folder of the portal it links to. */
export interface NotificationObject {
  type: 'application' | 'agreement' | 'placement' | 'checklist_item' | 'host_family';
  id: string;
}

export interface Notice {
  kind: NotificationKind;
  /** user ids; repeated ones are told once */
  recipients: readonly string[];
  object: NotificationObject;
  params: NotificationParams;
  /** who made the change: never told of their own act */
  actorId?: string | null;
}

/** The portal's page of the object (a checklist item's is its application's checklist). */
function objectPath(object: NotificationObject, params: NotificationParams): string {
  switch (object.type) {
    case 'application':
      return `/portal/applications/${object.id}`;
    case 'agreement':
      return `/portal/agreements/${object.id}`;
    case 'placement':
      return `/portal/placements/${object.id}`;
    case 'checklist_item':
      return typeof params.applicationId === 'string' ? `/portal/applications/${params.applicationId}/checklist` : `/portal/applications`;
    case 'host_family':
      return `/portal/host-families/${object.id}`;
  }
}

/**
 * Notifications: written in the transaction of the change they tell of (an outbox), one
 * in-app row per person told and one mail each, queued in the same transaction, unless
 * that person turned the e-mails of that kind off. The texts are rendered in the
 * recipient's language: the mail once, now; the in-app copy whenever it is read.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly notifications: NotificationsRepository,
    private readonly mail: MailQueue,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /** In the open transaction (TransactionHost.required): the change and what it tells commit together. */
  async notify(notice: Notice): Promise<number> {
    const ids = [...new Set(notice.recipients)].filter((id) => id !== notice.actorId);
    const recipients = await this.notifications.recipients(ids);
    if (!recipients.length) return 0;
    const notificationIds = await this.notifications.insertAll(
      recipients.map((recipient) => ({ userId: recipient.id, kind: notice.kind, objectType: notice.object.type, objectId: notice.object.id, params: notice.params })),
    );
    const link = `${this.settings.publicUrl}${objectPath(notice.object, notice.params)}`;
    for (const [i, recipient] of recipients.entries()) {
      if (recipient.preferences[notice.kind]?.email === false) continue;
      const rendered = renderMail(notice.kind, notice.params, recipient.locale, recipient.fullName, link);
      await this.mail.enqueue({ kind: notice.kind, to: recipient.email, ...rendered, notificationId: notificationIds[i] });
    }
    return recipients.length;
  }

  async list(caller: Caller, query: ListNotificationsQuery, locale: Locale): Promise<Page<NotificationView>> {
    const page = await this.notifications.list(caller.id, { ...query, unread: query.unread === 'true' });
    return { items: page.items.map((n) => this.view(n, locale)), nextCursor: page.nextCursor };
  }

  async read(caller: Caller, id: string, locale: Locale): Promise<NotificationView> {
    const notification = await this.tx.run(async () => {
      const own = await this.notifications.findOwn(caller.id, id);
      if (!own) throw NotificationErrors.notFound();
      await this.notifications.markRead(caller.id, id);
      return (await this.notifications.findOwn(caller.id, id))!;
    });
    return this.view(notification, locale);
  }

  /** How many of the caller's own notifications are not read yet (the portal's badge). */
  countUnread(caller: Caller): Promise<number> {
    return this.notifications.countUnread(caller.id);
  }

  async readAll(caller: Caller): Promise<{ marked: number }> {
    return { marked: await this.tx.run(() => this.notifications.markAllRead(caller.id)) };
  }

  private view(notification: Notification, locale: Locale): NotificationView {
    const { title, text } = notificationTexts(notification.kind, notification.params, locale);
    return {
      id: notification.id,
      kind: notification.kind,
      objectType: notification.objectType,
      objectId: notification.objectId,
      title,
      text,
      link: `${this.settings.publicUrl}${objectPath({ type: notification.objectType as NotificationObject['type'], id: notification.objectId ?? '' }, notification.params)}`,
      createdAt: notification.createdAt.toISOString(),
      readAt: notification.readAt?.toISOString() ?? null,
    };
  }
}
