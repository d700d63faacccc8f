import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { TravelDetailsView } from '../applications/dto/application.dto.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { resolveLocale } from '../common/http/locale.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { ArrivalsService } from './arrivals.service.js';
import { ArrivalsFeedQuery, ArrivalsQuery, ArrivalView, ChecklistItemView, CompleteItemDto, PutTravelDto } from './dto/arrival.dto.js';

@ApiTags('arrivals')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('applications')
export class TravelController {
  constructor(private readonly arrivals: ArrivalsService) {}

  @Put(':id/travel')
  @Roles('admin', 'coordinator', 'student')
  @ApiOperation({ summary: "The student of a confirmed application (or the receiving coordinator on its behalf) gives its travel details; they change until check-in, each change in the history" })
  @ApiOkResponse({ type: TravelDetailsView })
  @ApiProblems(400, 403, 404, 409)
  putTravel(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: PutTravelDto) {
    return this.arrivals.putTravel(caller, id, dto);
  }

  @Get(':id/checklist')
  @ApiOperation({ summary: "The arrival formalities made at check-in, with their due dates (in the receiving institution's time zone) and who answers for each" })
  @ApiPage(ChecklistItemView)
  @ApiProblems(400, 404)
  checklist(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Headers('accept-language') acceptLanguage?: string) {
    return this.arrivals.checklist(caller, id, resolveLocale(acceptLanguage, caller.locale));
  }
}

@ApiTags('arrivals')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('checklist-items')
export class ChecklistItemsController {
  constructor(private readonly arrivals: ArrivalsService) {}

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: "Done, with an optional note: by the party responsible for it or the receiving institution's staff; once (409)" })
  @ApiOkResponse({ type: ChecklistItemView })
  @ApiProblems(400, 403, 404, 409)
  complete(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: CompleteItemDto, @Headers('accept-language') acceptLanguage?: string): Promise<ChecklistItemView> {
    return this.arrivals.complete(caller, id, dto, resolveLocale(acceptLanguage, caller.locale));
  }
}

const BOARD_ROLES = ['admin', 'coordinator', 'host_school'] as const;

@ApiTags('arrivals')
@ApiBearerAuth()
@ApiProblems(401)
@Controller()
export class ArrivalsController {
  constructor(private readonly arrivals: ArrivalsService) {}

  @Get('arrivals')
  @Roles(...BOARD_ROLES)
  @ApiOperation({ summary: "The receiving institution's confirmed and arrived students with travel details, in arrival order: placement, checklist progress, expected / arrived / overdue" })
  @ApiPage(ArrivalView)
  @ApiProblems(400, 403)
  board(@CurrentCaller() caller: Caller, @Query() query: ArrivalsQuery) {
    return this.arrivals.board(caller, query);
  }

  @Get('arrivals.ics')
  @Roles(...BOARD_ROLES)
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Content-Disposition', 'inline; filename="arrivals.ics"')
  @ApiOperation({ summary: 'The arrivals board as an iCalendar feed (same filters and access): one event per arrival, with a stable UID' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar (RFC 5545)', schema: { type: 'string' } })
  @ApiProblems(400, 403)
  feed(@CurrentCaller() caller: Caller, @Query() query: ArrivalsFeedQuery): Promise<string> {
    return this.arrivals.feed(caller, query);
  }
}
