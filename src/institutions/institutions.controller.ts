import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, Roles } from '../auth/auth.decorators.js';
import { ApiRevalidated, sendRepresentation } from '../common/http/representations.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { CreateInstitutionDto, InstitutionView, ListInstitutionsQuery, UpdateInstitutionDto } from './dto/institution.dto.js';
import { InstitutionsService } from './institutions.service.js';

@ApiTags('institutions')
@Controller('institutions')
export class InstitutionsController {
  constructor(private readonly institutions: InstitutionsService) {}

  @Public()
  @Get()
  @ApiPage(InstitutionView)
  @ApiRevalidated()
  @ApiProblems(400)
  async list(@Query() query: ListInstitutionsQuery, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return sendRepresentation(request, reply, await this.institutions.listRepresentation(query));
  }

  @Public()
  @Get(':id')
  @ApiOkResponse({ type: InstitutionView })
  @ApiRevalidated()
  @ApiProblems(400, 404)
  async get(@Param('id', uuidPipe) id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return sendRepresentation(request, reply, await this.institutions.representation(id));
  }

  @Post()
  @Roles('admin')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: InstitutionView })
  @ApiProblems(400, 401, 403, 409, 422)
  create(@Body() dto: CreateInstitutionDto): Promise<InstitutionView> {
    return this.institutions.create(dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: InstitutionView })
  @ApiProblems(400, 401, 403, 404, 409)
  update(@Param('id', uuidPipe) id: string, @Body() dto: UpdateInstitutionDto): Promise<InstitutionView> {
    return this.institutions.update(id, dto);
  }
}
