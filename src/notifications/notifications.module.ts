import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { ApplicationsModule } from '../applications/applications.module.js';
import { NotificationEvents } from './notification-events.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { RemindersService } from './reminders.service.js';

/**
 * Notifications take part in the other domains' changes through their hooks (applications,
 * agreements), or are called by them (placements import this module); none of the domains
 * whose hooks are used here imports it, so there is no cycle.
 */
@Module({
  imports: [ApplicationsModule, AgreementsModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationsRepository, NotificationEvents, RemindersService],
  exports: [NotificationsService, NotificationEvents, RemindersService],
})
export class NotificationsModule {}
