import { Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { DocumentsService } from '../../documents/documents.service.js';
import { sendDocument } from '../../documents/download.js';
import { PortalController } from '../portal-controller.js';

/** A document's file for whoever may download it (the service decides, and records the download), as the API's GET /documents/{id}/content. */
@PortalController('portal/documents')
export class DocumentPages {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':id/content')
  async content(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    await sendDocument(reply, await this.documents.content(request.caller!, id));
  }
}
