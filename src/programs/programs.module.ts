import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { ProgramHooks } from './program.hooks.js';
import { ProgramsController } from './programs.controller.js';
import { ProgramsRepository } from './programs.repository.js';
import { ProgramsService } from './programs.service.js';

@Module({
  imports: [AgreementsModule],
  controllers: [ProgramsController],
  providers: [ProgramsService, ProgramsRepository, ProgramHooks],
  exports: [ProgramsService, ProgramsRepository, ProgramHooks],
})
export class ProgramsModule {}
