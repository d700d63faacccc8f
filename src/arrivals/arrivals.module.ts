import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { PlacementsModule } from '../placements/placements.module.js';
import { ProgramsModule } from '../programs/programs.module.js';
import { ArrivalsController, ChecklistItemsController, TravelController } from './arrivals.controller.js';
import { ArrivalsRepository } from './arrivals.repository.js';
import { ArrivalsService } from './arrivals.service.js';

@Module({
  imports: [ApplicationsModule, ProgramsModule, InstitutionsModule, PlacementsModule],
  controllers: [TravelController, ChecklistItemsController, ArrivalsController],
  providers: [ArrivalsService, ArrivalsRepository],
  exports: [ArrivalsService],
})
export class ArrivalsModule {}
