import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/openapi/problems.js';
import { MailQueueView } from './dto/mail-queue.view.js';
import { MailQueue } from './mail-queue.js';

/** The mail queue as operators see it: counts by state and the dead letters. */
@ApiTags('admin')
@Controller('admin/mail-queue')
export class MailQueueController {
  constructor(private readonly queue: MailQueue) {}

  @Get()
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: MailQueueView })
  @ApiProblems(401, 403)
  overview(): Promise<MailQueueView> {
    return this.queue.overview();
  }
}
