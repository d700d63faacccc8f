import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { Document } from './document.entity.js';

/**
 * Sends a document's file as an attachment under its own name (never shown inline, never
 * cached): the API's download route and the portal's link answer alike.
 */
export async function sendDocument(reply: FastifyReply, { document, stream }: { document: Document; stream: Readable }): Promise<void> {
  const ascii = document.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // RFC 8187 ext-value: encodeURIComponent leaves ' ( ) * unescaped, which are not attr-chars.
  const encoded = encodeURIComponent(document.fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  await reply
    .type(document.mediaType)
    .header('Content-Length', String(document.size))
    .header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`)
    .header('Cache-Control', 'private, no-store')
    .send(stream);
}
