import { Module } from '@nestjs/common';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsRepository } from './agreements.repository.js';
import { AgreementsService } from './agreements.service.js';

@Module({
  controllers: [AgreementsController],
  providers: [AgreementsService, AgreementsRepository],
  exports: [AgreementsService, AgreementsRepository],
})
export class AgreementsModule {}
