import type { Document } from './document.entity.js';
import type { DocumentView } from './dto/document.dto.js';

/** A document's metadata (never where it is stored). */
export function documentView(document: Document): DocumentView {
  const { id, applicationId, type, fileName, mediaType, size, sha256, uploadedBy } = document;
  return { id, applicationId, type, fileName, mediaType, size, sha256, uploadedBy, createdAt: document.createdAt.toISOString() };
}

/**
 * The Content-Disposition of a download: always an attachment (never rendered in the
 * site's origin), the name in ASCII and, for any other character, as an RFC 8187 ext-value.
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * unescaped, which are not attr-chars.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
