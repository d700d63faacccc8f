import { Module } from '@nestjs/common';
import { HostFamiliesController } from './host-families.controller.js';
import { HostFamiliesRepository } from './host-families.repository.js';
import { HostFamiliesService } from './host-families.service.js';
import { HostFamilyHooks } from './host-family.hooks.js';

@Module({
  controllers: [HostFamiliesController],
  providers: [HostFamiliesService, HostFamiliesRepository, HostFamilyHooks],
  exports: [HostFamiliesService, HostFamiliesRepository, HostFamilyHooks],
})
export class HostFamiliesModule {}
