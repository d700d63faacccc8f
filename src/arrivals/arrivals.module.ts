import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { PlacementsModule } from '../placements/placements.module.js';
import { ProgramsModule } from '../programs/programs.module.js';
import { UsersModule } from '../users/users.module.js';
import { ArrivalsController, ChecklistItemsController, TravelController } from './arrivals.controller.js';
import { ArrivalsRepository } from './arrivals.repository.js';
import { ArrivalsService } from './arrivals.service.js';
import { CalendarFeedsRepository } from './calendar-feeds.repository.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';

@Module({
  imports: [ApplicationsModule, ProgramsModule, InstitutionsModule, PlacementsModule, UsersModule],
  controllers: [TravelController, ChecklistItemsController, ArrivalsController],
  providers: [ArrivalsService, ArrivalsRepository, CalendarFeedsService, CalendarFeedsRepository],
  exports: [ArrivalsService, CalendarFeedsService],
})
export class ArrivalsModule {}
