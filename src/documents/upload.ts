import type {} from '@fastify/multipart';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { partiesOf } from '../applications/application.rules.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AccessPolicy } from '../common/access/access-policy.js';
import { DOCUMENT_TYPES, type DocumentType } from '../programs/program.entity.js';
import { unsupportedMediaType } from '../common/http/multipart.guard.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
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
      if (type !== undefined) throw DocumentErrors.duplicateField('type');
      type = String(part.value);
    } else {
      throw DocumentErrors.unexpectedField(part.fieldname);
    }
  }
  if (!type || !(DOCUMENT_TYPES as readonly string[]).includes(type)) throw DocumentErrors.typeInvalid(DOCUMENT_TYPES.join(', '));
  if (!file) throw DocumentErrors.fileMissing();
  return { type: type as DocumentType, ...file };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The document read by ReadUploadGuard. */
    upload?: Upload;
  }
}

/**
 * Reads the multipart upload before the interceptors run and stands for it as the request
 * body ({type, fileName, size, sha256}), so that `Idempotency-Key` compares uploads by
 * their content: the same key with another file is 422, not a replay of the first answer.
 * (The interceptor hashes `request.body`, which a multipart route never had.)
 */
@Injectable()
export class ReadUploadGuard implements CanActivate {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly access: AccessPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Guards run before pipes: the path id is checked first, as on every other route.
    const id = (await uuidPipe.transform((request.params as { id?: string }).id ?? '', { type: 'param', data: 'id' })) as string;
    // Nobody but the owner makes the server read (up to 10 MiB of) a file, and the receiving side, which adds the
    // transcript of records of the stay: the type is in the body, so DocumentsService checks it once read.
    const application = await this.applications.visible(request.caller!, id);
    if (!partiesOf(request.caller!, application).includes('receiving')) this.access.authorize(request.caller!, 'application', 'upload', application);
    const upload = await readUpload(request);
    request.upload = upload;
    request.body = { type: upload.type, fileName: upload.fileName, size: upload.content.length, sha256: createHash('sha256').update(upload.content).digest('hex') };
    return true;
  }
}
