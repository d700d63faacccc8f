import { Module } from '@nestjs/common';
import { ProgramsModule } from '../programs/programs.module.js';
import { ApplicationDetails } from './application.details.js';
import { ApplicationHooks } from './application.hooks.js';
import { ApplicationsController, ApplicationTransitionsController } from './applications.controller.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';

@Module({
  imports: [ProgramsModule],
  controllers: [ApplicationsController, ApplicationTransitionsController],
  providers: [ApplicationsService, ApplicationsRepository, ApplicationHooks, ApplicationDetails],
  exports: [ApplicationsService, ApplicationsRepository, ApplicationHooks, ApplicationDetails],
})
export class ApplicationsModule {}
