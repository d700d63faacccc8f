import { Module } from '@nestjs/common';
import { AgreementHooks } from './agreement.hooks.js';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsRepository } from './agreements.repository.js';
import { AgreementsService } from './agreements.service.js';

@Module({
  controllers: [AgreementsController],
  providers: [AgreementsService, AgreementsRepository, AgreementHooks],
  exports: [AgreementsService, AgreementsRepository, AgreementHooks],
})
export class AgreementsModule {}
