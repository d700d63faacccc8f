import type { Document } from './document.entity.js';
import type { DocumentView } from './dto/document.dto.js';

/** A document's metadata (never where it is stored). */
export function documentView(document: Document): DocumentView {
  const { id, applicationId, type, fileName, mediaType, size, sha256, uploadedBy } = document;
  return { id, applicationId, type, fileName, mediaType, size, sha256, uploadedBy, createdAt: document.createdAt.toISOString() };
}
