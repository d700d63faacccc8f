import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { TransitionDto } from '../common/dto/transition.dto.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { resolveLocale } from '../common/http/locale.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { CreatePlacementDto, ListPlacementsQuery, MatchesQuery, MatchesView, PlacementView } from './dto/placement.dto.js';
import { MatchingService } from './matching.service.js';
import { PlacementsService } from './placements.service.js';

@ApiTags('placements')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('placements')
export class PlacementsController {
  constructor(private readonly placements: PlacementsService) {}

  @Post()
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: 'The receiving coordinator proposes a family for an accepted or confirmed application (409 placement.capacity_exceeded, placement.already_placed)' })
  @ApiCreatedResponse({ type: PlacementView })
  @ApiProblems(400, 403, 404, 409)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreatePlacementDto): Promise<PlacementView> {
    return this.placements.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: "Receiving staff: their institution's; a family's users: their family's; a student: its own once accepted. Newest first" })
  @ApiPage(PlacementView)
  @ApiProblems(400)
  list(@CurrentCaller() caller: Caller, @Query() query: ListPlacementsQuery) {
    return this.placements.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: PlacementView })
  @ApiProblems(400, 404)
  get(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string): Promise<PlacementView> {
    return this.placements.get(caller, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'proposed → accepted (the family, or a receiving coordinator on its behalf)' })
  @ApiOkResponse({ type: PlacementView })
  @ApiProblems(400, 403, 404, 409)
  accept(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: TransitionDto): Promise<PlacementView> {
    return this.placements.transition(caller, id, 'accept', dto);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'proposed → declined (the family, or a receiving coordinator on its behalf); `reason` required' })
  @ApiOkResponse({ type: PlacementView })
  @ApiProblems(400, 403, 404, 409)
  decline(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: TransitionDto): Promise<PlacementView> {
    return this.placements.transition(caller, id, 'decline', dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'proposed or accepted → cancelled (receiving coordinator); `reason` required' })
  @ApiOkResponse({ type: PlacementView })
  @ApiProblems(400, 403, 404, 409)
  cancel(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: TransitionDto): Promise<PlacementView> {
    return this.placements.transition(caller, id, 'cancel', dto);
  }

  @Post(':id/end')
  @HttpCode(200)
  @ApiOperation({ summary: 'accepted → ended (receiving coordinator): at or after its last day, or earlier with a `reason`' })
  @ApiOkResponse({ type: PlacementView })
  @ApiProblems(400, 403, 404, 409)
  end(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: TransitionDto): Promise<PlacementView> {
    return this.placements.transition(caller, id, 'end', dto);
  }
}

@ApiTags('placements')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('applications')
export class MatchingController {
  constructor(private readonly matching: MatchingService) {}

  @Get(':id/host-family-matches')
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: "The receiving institution's families that break no hard rule, scored 0–100 by the soft criteria with a reason each, best first (Accept-Language or the caller's locale)" })
  @ApiOkResponse({ type: MatchesView })
  @ApiProblems(400, 403, 404, 409)
  matches(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Query() query: MatchesQuery, @Headers('accept-language') acceptLanguage?: string): Promise<MatchesView> {
    return this.matching.matches(caller, id, query, resolveLocale(acceptLanguage, caller.locale));
  }
}
