import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ApplicationStatus } from '../applications/application.entity.js';
import { ApplicationHooks } from '../applications/application.hooks.js';
import { institutionsSeeing, partiesOf } from '../applications/application.rules.js';
import { FINAL } from '../applications/application.state-machine.js';
import { ApplicationErrors } from '../applications/applications.errors.js';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AccessPolicy } from '../common/access/access-policy.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import type { Document } from './document.entity.js';
import { documentRules, visibleDocumentTypes } from './document.rules.js';
import { documentView } from './document.view.js';
import { DocumentsRepository } from './documents.repository.js';
import type { DocumentView } from './dto/document.dto.js';
import { DocumentErrors } from './documents.errors.js';
import { nameMatches, sniffMediaType } from './file-type.js';
import type { Upload } from './upload.js';
import { AuditLog } from '../audit/audit-log.js';

/** Where the files of documents live, under their storage keys (also read by src/privacy/, which deletes them). */
export const documentsFolder = (settings: Pick<Settings, 'dataDir'>): string => join(settings.dataDir, 'documents');

/**
 * Application documents. Files are kept under DATA_DIR/documents with server-chosen names
 * (never a served folder), typed by their bytes, and every download is recorded.
 */
/**
 * Documents one application holds at most: room for every type a programme can require and
 * a few more pages, not a free file store (each file may weigh 10 MiB).
 */
export const MAX_DOCUMENTS_PER_APPLICATION = 20;

/** When the receiving side adds a transcript of records: once the student has arrived, until after completion. */
const RECORD_OF_STAY: readonly ApplicationStatus[] = ['arrived', 'completed'];

@Injectable()
export class DocumentsService implements OnModuleInit {
  private readonly logger = new Logger('Documents');
  private readonly folder: string;

  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly documents: DocumentsRepository,
    private readonly applications: ApplicationsService,
    private readonly applicationRows: ApplicationsRepository,
    private readonly hooks: ApplicationHooks,
    private readonly access: AccessPolicy,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.folder = documentsFolder(settings);
  }

  onModuleInit(): void {
    this.access.register(documentRules);
    // Submitting needs every document type the programme requires (422 naming the missing ones).
    this.hooks.precondition('submit', 'documents', async ({ application, program }) => {
      if (!program.requiredDocuments.length) return;
      const present = await this.documents.typesOf(application.id);
      const missing = program.requiredDocuments.filter((type) => !present.includes(type));
      if (missing.length) throw ApplicationErrors.documentsMissing(missing);
    });
  }

  async upload(caller: Caller, applicationId: string, upload: Upload): Promise<DocumentView> {
    const seen = await this.applications.visible(caller, applicationId);
    // The receiving coordinator adds the transcript of records of a stay, at its end; every other document is the student's.
    const recordOfStay = upload.type === 'transcript_of_records' && partiesOf(caller, seen).includes('receiving') && !partiesOf(caller, seen).includes('student');
    if (!recordOfStay) this.access.authorize(caller, 'application', 'upload', seen);
    // The transcript of records is the receiving institution's word on the stay, never the student's.
    if (upload.type === 'transcript_of_records' && !recordOfStay) throw CommonErrors.forbidden();
    if (upload.content.length === 0) throw DocumentErrors.empty();
    const mediaType = sniffMediaType(upload.content);
    if (!mediaType || !nameMatches(upload.fileName, mediaType)) throw DocumentErrors.unsupportedType();
    // Checked again under the row lock below; here so that a full application costs no disk write.
    if ((await this.documents.countOf(seen.id)) >= MAX_DOCUMENTS_PER_APPLICATION) throw DocumentErrors.limitReached(MAX_DOCUMENTS_PER_APPLICATION);

    const storageKey = randomUUID();
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const path = join(this.folder, storageKey);
    try {
      await writeFile(`${path}.part`, upload.content, { mode: 0o600 });
      await rename(`${path}.part`, path);
    } catch (error) {
      await rm(`${path}.part`, { force: true });
      throw error;
    }
    let id: string;
    try {
      id = await this.tx.run(async () => {
        // Under the application's row lock, so that no withdrawal or cancellation slips in between.
        const application = await this.applicationRows.lock(applicationId);
        if (!application) throw ApplicationErrors.notEditable('cancelled');
        if (recordOfStay ? !RECORD_OF_STAY.includes(application.status) : FINAL.includes(application.status)) throw ApplicationErrors.notEditable(application.status);
        if ((await this.documents.countOf(applicationId)) >= MAX_DOCUMENTS_PER_APPLICATION) throw DocumentErrors.limitReached(MAX_DOCUMENTS_PER_APPLICATION);
        const sha256 = createHash('sha256').update(upload.content).digest('hex');
        const documentId = await this.documents.insert({
          applicationId,
          type: upload.type,
          fileName: upload.fileName,
          mediaType,
          size: upload.content.length,
          sha256,
          storageKey,
          uploadedBy: caller.id,
        });
        await this.audit.record({
          action: 'document.upload',
          targetType: 'document',
          targetId: documentId,
          institutionIds: institutionsSeeing(application),
          details: { applicationId, type: upload.type, mediaType, size: upload.content.length, sha256 },
        });
        return documentId;
      });
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return documentView((await this.documents.findById(id))!);
  }

  async list(caller: Caller, applicationId: string): Promise<Page<DocumentView>> {
    const application = await this.applications.visible(caller, applicationId);
    const documents = await this.documents.listOf(application.id, visibleDocumentTypes(caller));
    return { items: documents.map(documentView), nextCursor: null };
  }

  private async documentOf(caller: Caller, id: string, action: 'download' | 'delete') {
    const document = await this.documents.findById(id);
    const application = document && (await this.applicationRows.findById(document.applicationId));
    return this.access.authorize(caller, 'document', action, document && application ? { document, application } : null);
  }

  /** The file, with the download recorded (who, role, when) before a byte is sent. */
  async content(caller: Caller, id: string): Promise<{ document: Document; stream: Readable }> {
    const { document, application } = await this.documentOf(caller, id, 'download');
    // Opened first: a file that cannot be read is an error, not a recorded download.
    const file = await open(join(this.folder, document.storageKey), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      // The row outlived its file (restored database, lost disk): the caller cannot have it.
      this.logger.error({ documentId: id, storageKey: document.storageKey }, 'document file missing');
      throw DocumentErrors.storedFileMissing();
    });
    try {
      await this.tx.run(async () => {
        await this.documents.recordDownload({ documentId: id, userId: caller.id, userRole: caller.role });
        await this.audit.record({
          action: 'document.download',
          targetType: 'document',
          targetId: id,
          institutionIds: institutionsSeeing(application),
          details: { applicationId: application.id, type: document.type },
        });
      });
    } catch (error) {
      await file.close();
      throw error;
    }
    return { document, stream: file.createReadStream() };
  }

  /** The student removes its own document while the application is a draft. */
  async delete(caller: Caller, id: string): Promise<void> {
    const { document } = await this.documentOf(caller, id, 'delete');
    await this.tx.run(async () => {
      // Under the application's row lock: a submission racing this delete sees the document or its absence, never half.
      const application = await this.applicationRows.lock(document.applicationId);
      if (application?.status !== 'draft') throw ApplicationErrors.notEditable(application?.status ?? 'cancelled');
      await this.documents.delete(id);
      await this.audit.record({
        action: 'document.delete',
        targetType: 'document',
        targetId: id,
        institutionIds: institutionsSeeing(application),
        details: { applicationId: application.id, type: document.type },
      });
    });
    await rm(join(this.folder, document.storageKey), { force: true });
  }
}
