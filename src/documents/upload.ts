import type {} from '@fastify/multipart';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { partiesOf } from '../applications/application.rules.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AccessPolicy } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import { DOCUMENT_TYPES, type DocumentType } from '../programs/program.entity.js';
import { DomainError } from '../common/errors/domain-error.js';
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
 * A field that a form sends before its file and that is checked before anything else of
 * the body is read: the portal's CSRF token (its forms are checked by the session guard,
 * which cannot read a multipart body). `check` throws unless the value is good.
 */
export interface LeadingField {
  name: string;
  check: (value: string | undefined) => Promise<void>;
}

/**
 * Reads `multipart/form-data` with exactly the fields `type` and `file`, in any order (and,
 * when `leading` is given, that field first). The file is read into memory (at most
 * 10 MiB: beyond, the multipart limit answers 413) so that nothing is written before it
 * has been checked whole.
 */
export async function readUpload(request: FastifyRequest, leading?: LeadingField): Promise<Upload> {
  if (!request.isMultipart()) throw unsupportedMediaType();
  try {
    return await readParts(request, leading);
  } catch (error) {
    throw isMalformedMultipart(error) ? new DomainError('request.bad_request', 400) : error;
  }
}

/**
 * The multipart parser's (busboy's) own errors: no boundary in the content type, or an
 * empty one or one over 256 characters; a body cut short or not matching its boundary.
 * Plain Errors without a code, told apart by their message; they are the client's
 * malformed body, not a fault of ours.
 */
const MALFORMED_MULTIPART = /^(Multipart: Boundary not found|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|The needle cannot (be an empty|have a length bigger))/;

function isMalformedMultipart(error: unknown): boolean {
  return error instanceof Error && !(error instanceof DomainError) && (error as { code?: unknown }).code === undefined && MALFORMED_MULTIPART.test(error.message);
}

async function readParts(request: FastifyRequest, leading: LeadingField | undefined): Promise<Upload> {
  let type: string | undefined;
  let file: { fileName: string; content: Buffer } | undefined;
  let leadingChecked = !leading;
  const extra = leading ? 1 : 0;
  for await (const part of request.parts({ limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 2 + extra, parts: 3 + extra } })) {
    if (!leadingChecked) {
      const isLeading = part.type === 'field' && part.fieldname === leading!.name;
      if (part.type === 'file') part.file.resume();
      await leading!.check(isLeading ? String(part.value) : undefined);
      if (!isLeading) throw DocumentErrors.unexpectedField(part.fieldname);
      leadingChecked = true;
      continue;
    }
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
  if (!leadingChecked) await leading!.check(undefined);
  if (!type || !(DOCUMENT_TYPES as readonly string[]).includes(type)) throw DocumentErrors.typeInvalid(DOCUMENT_TYPES.join(', '));
  if (!file) throw DocumentErrors.fileMissing();
  return { type: type as DocumentType, ...file };
}

/**
 * Who may make the server read an upload: the owner of the application; and its receiving
 * coordinator, who adds the transcript of records (the service decides by the type read).
 * Checked before a byte of the file is read, for the API's route and the portal's page alike.
 */
@Injectable()
export class UploadReader {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly access: AccessPolicy,
  ) {}

  async read(caller: Caller, applicationId: string, request: FastifyRequest, leading?: LeadingField): Promise<Upload> {
    const application = await this.applications.visible(caller, applicationId);
    if (!partiesOf(caller, application).includes('receiving')) this.access.authorize(caller, 'application', 'upload', application);
    return readUpload(request, leading);
  }
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
  constructor(private readonly uploads: UploadReader) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Guards run before pipes: the path id is checked first, as on every other route.
    const id = (await uuidPipe.transform((request.params as { id?: string }).id ?? '', { type: 'param', data: 'id' })) as string;
    const upload = await this.uploads.read(request.caller!, id, request);
    request.upload = upload;
    request.body = { type: upload.type, fileName: upload.fileName, size: upload.content.length, sha256: createHash('sha256').update(upload.content).digest('hex') };
    return true;
  }
}
