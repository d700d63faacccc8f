import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DOCUMENT_TYPES, type DocumentType } from '../programs/program.entity.js';
import { unsupportedMediaType } from '../common/http/multipart.guard.js';
import { DocumentErrors } from './documents.errors.js';
import { cleanFileName } from './file-type.js';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface Upload {
  type: DocumentType;
  fileName: string;
  content: Buffer;
}

/**
 * Reads `multipart/form-data` with exactly the fields `type` and `file`, in any order. The
 * file is read into memory (at most 10 MiB: beyond, the multipart limit answers 413) so
 * that nothing is written before it has been checked whole.
 */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw unsupportedMediaType();
  let type: string | undefined;
  let file: { fileName: string; content: Buffer } | undefined;
  for await (const part of request.parts({ limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 2, parts: 3 } })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw DocumentErrors.unexpectedField(part.fieldname);
      }
      file = { fileName: cleanFileName(part.filename ?? ''), content: await part.toBuffer() };
    } else if (part.fieldname === 'type') {
      type = String(part.value);
    } else {
      throw DocumentErrors.unexpectedField(part.fieldname);
    }
  }
  if (!type || !(DOCUMENT_TYPES as readonly string[]).includes(type)) throw DocumentErrors.typeInvalid(DOCUMENT_TYPES.join(', '));
  if (!file) throw DocumentErrors.fileMissing();
  return { type: type as DocumentType, ...file };
}
