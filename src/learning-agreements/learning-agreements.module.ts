import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { ProgramsModule } from '../programs/programs.module.js';
import { LearningAgreementsController } from './learning-agreements.controller.js';
import { LearningAgreementsRepository } from './learning-agreements.repository.js';
import { LearningAgreementsService } from './learning-agreements.service.js';

@Module({
  imports: [ApplicationsModule, ProgramsModule],
  controllers: [LearningAgreementsController],
  providers: [LearningAgreementsService, LearningAgreementsRepository],
  exports: [LearningAgreementsService],
})
export class LearningAgreementsModule {}
