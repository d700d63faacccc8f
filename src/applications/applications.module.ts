import { Module } from '@nestjs/common';
import { ApplicationsController, ApplicationTransitionsController } from './applications.controller.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';

@Module({
  controllers: [ApplicationsController, ApplicationTransitionsController],
  providers: [ApplicationsService, ApplicationsRepository],
  exports: [ApplicationsService, ApplicationsRepository],
})
export class ApplicationsModule {}
