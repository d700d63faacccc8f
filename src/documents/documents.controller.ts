import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller, type Caller } from '../common/http/caller.js';
import { AcceptsMultipart } from '../common/http/multipart.guard.js';
import { ApiPage, ApiProblems } from '../common/openapi/problems.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { DocumentView, UploadDocumentBody } from './dto/document.dto.js';
import { DocumentsService } from './documents.service.js';
import { sendDocument } from './download.js';
import { ReadUploadGuard } from './upload.js';

@ApiTags('documents')
@ApiBearerAuth()
@ApiProblems(401)
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post('applications/:id/documents')
  @AcceptsMultipart()
  @UseGuards(ReadUploadGuard)
  @ApiOperation({ summary: 'The student uploads a document (multipart: type, file). PDF, JPEG or PNG by content, at most 10 MiB; at most 20 documents an application (409 document.limit_reached)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDocumentBody })
  @ApiCreatedResponse({ type: DocumentView })
  @ApiProblems(400, 403, 404, 409, 413, 415)
  upload(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Req() request: FastifyRequest): Promise<DocumentView> {
    return this.documents.upload(caller, id, request.upload!);
  }

  @Get('applications/:id/documents')
  @ApiOperation({ summary: 'Documents of an application (host-school staff: passport and insurance only)' })
  @ApiPage(DocumentView)
  @ApiProblems(400, 404)
  list(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string) {
    return this.documents.list(caller, id);
  }

  @Get('documents/:id/content')
  @ApiOperation({ summary: 'Download a document (as an attachment); the download is recorded' })
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOkResponse({ description: 'the file', content: { 'application/pdf': {}, 'image/jpeg': {}, 'image/png': {} } })
  @ApiProblems(400, 404)
  async content(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    await sendDocument(reply, await this.documents.content(caller, id));
  }

  @Delete('documents/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'The student deletes its own document while the application is a draft' })
  @ApiNoContentResponse()
  @ApiProblems(400, 403, 404, 409)
  async delete(@CurrentCaller() caller: Caller, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.documents.delete(caller, id);
  }
}
