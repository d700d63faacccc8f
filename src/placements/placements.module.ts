import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { HostFamiliesModule } from '../host-families/host-families.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ProgramsModule } from '../programs/programs.module.js';
import { MatchingService } from './matching.service.js';
import { PlacementLapses } from './placement-lapses.service.js';
import { MatchingController, PlacementsController } from './placements.controller.js';
import { PlacementsRepository } from './placements.repository.js';
import { PlacementsService } from './placements.service.js';

@Module({
  imports: [ApplicationsModule, ProgramsModule, HostFamiliesModule, NotificationsModule],
  controllers: [PlacementsController, MatchingController],
  providers: [PlacementsService, PlacementsRepository, MatchingService, PlacementLapses],
  exports: [PlacementsService, PlacementsRepository, MatchingService],
})
export class PlacementsModule {}
