import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { TransitionDto } from '../common/dto/transition.dto.js';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { CreateHostFamilyDto, HostFamilyView, ListHostFamiliesQuery, UpdateHostFamilyDto, VetHostFamilyDto } from './dto/host-family.dto.js';
import { HostFamiliesService } from './host-families.service.js';

@ApiTags('host families')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('host-families')
export class HostFamiliesController {
  constructor(private readonly families: HostFamiliesService) {}

  @Post()
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: "A coordinator registers a family of its institution (pending_vetting until vetted)" })
  @ApiCreatedResponse({ type: HostFamilyView })
  @ApiProblems(400, 403)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateHostFamilyDto): Promise<HostFamilyView> {
    return this.families.create(caller, dto);
  }

  @Get()
  @Roles('admin', 'coordinator', 'host_school', 'host_family')
  @ApiOperation({ summary: "The managing institution's staff: its families; a family's users: their own. By name" })
  @ApiPage(HostFamilyView)
  @ApiProblems(400, 403)
  list(@CurrentCaller() caller: Caller, @Query() query: ListHostFamiliesQuery) {
    return this.families.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: HostFamilyView })
  @ApiProblems(400, 404)
  get(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string): Promise<HostFamilyView> {
    return this.families.get(caller, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Coordinators: any field; the family's own users: availableFrom, availableTo and capacity only. Never fewer beds or a shorter availability than its placements take (409)" })
  @ApiOkResponse({ type: HostFamilyView })
  @ApiProblems(400, 403, 404, 409)
  update(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: UpdateHostFamilyDto): Promise<HostFamilyView> {
    return this.families.update(caller, id, dto);
  }

  @Post(':id/vet')
  @HttpCode(200)
  @ApiOperation({ summary: 'Records a vetting (all are kept) → approved or rejected by its outcome; valid 12 months from backgroundCheckOn' })
  @ApiOkResponse({ type: HostFamilyView })
  @ApiProblems(400, 403, 404, 409)
  vet(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: VetHostFamilyDto): Promise<HostFamilyView> {
    return this.families.vet(caller, id, dto);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'pending_vetting or approved → suspended (`reason` required): no new placements until vetted again' })
  @ApiOkResponse({ type: HostFamilyView })
  @ApiProblems(400, 403, 404, 409)
  suspend(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Body() dto: TransitionDto): Promise<HostFamilyView> {
    return this.families.suspend(caller, id, dto.reason);
  }
}
