import type { FastifyReply } from 'fastify';
import type { ExportFile } from './privacy.service.js';

/** An export as a download: JSON, an attachment, never cached (the API's route and the portal's link alike). Returns the document to send. */
export function asAttachment(reply: FastifyReply, file: ExportFile): Record<string, unknown> {
  reply.header('Content-Disposition', `attachment; filename="${file.fileName}"`).header('Cache-Control', 'private, no-store');
  return file.document;
}
