import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EmptyBody } from '../common/dto/empty-body.dto.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { resolveLocale } from '../common/http/locale.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { ListNotificationsQuery, NotificationView, ReadAllView } from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's own notifications, newest first (?unread=true: those not read yet), in the caller's language" })
  @ApiPage(NotificationView)
  @ApiProblems(400)
  list(@CurrentCaller() caller: Caller, @Query() query: ListNotificationsQuery, @Headers('accept-language') acceptLanguage?: string) {
    return this.notifications.list(caller, query, resolveLocale(acceptLanguage, caller.locale));
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: "Marks all the caller's unread notifications read" })
  @ApiOkResponse({ type: ReadAllView })
  @ApiProblems(400)
  readAll(@CurrentCaller() caller: Caller, @Body() _body: EmptyBody): Promise<ReadAllView> {
    return this.notifications.readAll(caller);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: "Marks one of the caller's notifications read (someone else's: 404)" })
  @ApiOkResponse({ type: NotificationView })
  @ApiProblems(400, 404)
  read(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() _body: EmptyBody, @Headers('accept-language') acceptLanguage?: string): Promise<NotificationView> {
    return this.notifications.read(caller, id, resolveLocale(acceptLanguage, caller.locale));
  }
}
