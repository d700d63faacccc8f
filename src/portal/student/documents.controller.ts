import { Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FINAL } from '../../applications/application.state-machine.js';
import { toDomainError } from '../../common/errors/problem.filter.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { DocumentsService } from '../../documents/documents.service.js';
import { MAX_DOCUMENT_BYTES, UploadReader } from '../../documents/upload.js';
import { DOCUMENT_TYPES } from '../../programs/program.entity.js';
import { PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles, PortalUpload } from '../portal-session.guard.js';
import { isShownOnPage, redirectWithError, StudentViews } from './student-views.js';

/** The documents of the student's application: the list, uploads, deletions while a draft (the files are downloaded from /portal/documents/{id}/content, the applications' pages'). */
@PortalController('portal')
@PortalRoles('student')
export class StudentDocumentsPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly documents: DocumentsService,
    private readonly uploads: UploadReader,
    private readonly views: StudentViews,
  ) {}

  @Get('applications/:id/documents')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const context = await this.views.applicationOf(caller, id);
    const documents = (await this.documents.list(caller, id)).items;
    const present = new Set(documents.map((d) => d.type));
    await this.pages.render(request, reply, 'student/documents', {
      title: t('student.documents.title'),
      ...context,
      tab: 'documents',
      back: `/portal/applications/${id}/documents`,
      documents,
      required: context.program.requiredDocuments.map((type) => ({ type, present: present.has(type) })),
      // The types a student uploads (the transcript of records is the receiving institution's).
      types: DOCUMENT_TYPES.filter((type) => type !== 'transcript_of_records'),
      canUpload: !FINAL.includes(context.application.status),
      canDelete: context.application.status === 'draft',
      maxMiB: MAX_DOCUMENT_BYTES / 1024 / 1024,
    });
  }

  /**
   * An upload (multipart: `_csrf` first, then `type` and `file`), read by the documents
   * domain's own reader after the same access check as the API's route, and stored by its
   * service. Its outcome is shown on the documents page (post/redirect/get, which the
   * progress bar's script follows too): a refused type or size in the catalogue's words.
   */
  @Post('applications/:id/documents')
  @PortalUpload()
  async upload(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const caller = request.caller!;
    const back = `/portal/applications/${id}/documents`;
    try {
      const upload = await this.uploads.read(caller, id, request, { name: '_csrf', check: request.checkCsrf! });
      await this.documents.upload(caller, id, upload);
    } catch (error) {
      // Multipart limits (a file over 10 MiB) come from Fastify: in the catalogue's words too.
      const refusal = toDomainError(error);
      if (!isShownOnPage(refusal)) throw error;
      return redirectWithError(reply, back, refusal);
    }
    reply.redirect(`${back}?done=student.uploaded`, 303);
  }

  @Post('applications/:id/documents/:documentId/delete')
  async delete(@Res() reply: FastifyReply, @Req() request: FastifyRequest, @Param('id', uuidPipe) id: string, @Param('documentId', uuidPipe) documentId: string): Promise<void> {
    await this.pages.act(reply, `/portal/applications/${id}/documents`, 'student.documentDeleted', () => this.documents.delete(request.caller!, documentId));
  }
}
