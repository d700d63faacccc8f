import { Inject, Injectable } from '@nestjs/common';
import type { AuditEntry } from '../audit/audit-entry.entity.js';
import { AuditLog } from '../audit/audit-log.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { AccessPolicy } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import { HostFamiliesRepository } from '../host-families/host-families.repository.js';
import { ErasureService } from './erasure.service.js';
import { exportSectionList } from './export-sections.js';
import { ExportRepository } from './export.repository.js';

type Row = Record<string, unknown>;

/** An export: the JSON document and the name it is downloaded under. */
export interface ExportFile {
  fileName: string;
  document: Record<string, unknown>;
}

export const EXPORT_FORMAT = 'exchange-platform/personal-data-export';
export const EXPORT_VERSION = 1;

const day = (at: Date) => at.toISOString().slice(0, 10);

/**
 * A person's right of access and to erasure (SPEC: `GET /me/export`, `POST /me/erase`),
 * and the same for a host family at its managing coordinator's request. Each export and
 * erasure is written in the audit log in its transaction; files of erased documents are
 * deleted only once the erasure has committed.
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly exports: ExportRepository,
    private readonly erasure: ErasureService,
    private readonly families: HostFamiliesRepository,
    private readonly auditEntries: AuditRepository,
    private readonly audit: AuditLog,
    private readonly access: AccessPolicy,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /** Everything held about the caller, whatever its role (a staff user's: its profile, messages and what it did). */
  async exportOf(caller: Caller): Promise<ExportFile> {
    const now = new Date();
    const document = await this.tx.run(async () => {
      const profile = await this.exports.profile(caller.id);
      const applications = await this.exports.applications(caller.id);
      const applicationIds = applications.map((a) => a.id as string);
      const history = await this.exports.history(applicationIds);
      const documents = await this.exports.documents(applicationIds);
      const downloads = await this.exports.downloads(documents.map((d) => d.id as string));
      const agreements = await this.exports.learningAgreements(applicationIds);
      const versions = await this.exports.learningAgreementVersions(applicationIds);
      const placements = await this.exports.placementsOfStudent(caller.id);
      const items = await this.exports.checklistItems(applicationIds);
      const audit = await this.auditEntries.about(caller.id, [...applicationIds, ...documents.map((d) => d.id as string), ...placements.map((p) => p.id as string), ...items.map((i) => i.id as string)]);
      const byYou = (row: Row, column: string) => ({ ...omit(row, column), byYou: row[column] === caller.id });

      const exported = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: now.toISOString(),
        subject: { id: caller.id, role: caller.role },
        sections: exportSectionList(),
        profile,
        sessions: await this.exports.sessions(caller.id),
        calendarFeeds: await this.exports.calendarFeeds(caller.id),
        invitations: await this.exports.invitations(caller.id),
        applications: applications.map((application) => ({
          ...omit(application, 'travel'),
          history: history.filter((h) => h.applicationId === application.id).map((h) => ({ ...omit(byYou(h, 'actorId'), 'applicationId') })),
        })),
        travelDetails: applications.filter((a) => a.travel).map((a) => ({ applicationId: a.id, ...(a.travel as Row) })),
        documents: documents.map((d) => ({
          ...omit(d, 'uploadedBy'),
          uploadedByYou: d.uploadedBy === caller.id,
          download: `${this.settings.publicUrl}/api/v1/documents/${d.id as string}/content`,
          downloads: downloads.filter((x) => x.documentId === d.id).map((x) => omit(byYou(x, 'userId'), 'documentId')),
        })),
        learningAgreements: agreements.map((la) => ({
          ...omit(la, 'updatedBy'),
          versions: versions.filter((v) => v.applicationId === la.applicationId).map((v) => omit(v, 'applicationId', 'supersededBy')),
        })),
        placements,
        checklists: applicationIds
          .map((applicationId) => ({ applicationId, items: items.filter((i) => i.applicationId === applicationId).map((i) => omit(i, 'applicationId')) }))
          .filter((c) => c.items.length),
        notifications: await this.exports.notifications(caller.id),
        reminders: await this.exports.reminders(caller.id),
        mails: profile ? await this.exports.mails(profile.email as string) : [],
        authored: await this.exports.authored(caller.id),
        audit: audit.map((entry) => auditEntryView(entry, caller.id)),
      };
      await this.audit.record({
        action: 'privacy.export',
        targetType: 'user',
        targetId: caller.id,
        institutionIds: [caller.institutionId],
        details: { applications: applicationIds.length, documents: documents.length, auditEntries: audit.length },
      });
      return exported;
    });
    return { fileName: `exchange-personal-data-${day(now)}.json`, document };
  }

  /** The caller erases itself (see ErasureService for what stays and what goes); its files go once that has committed. */
  async erase(caller: Caller): Promise<void> {
    const erased = await this.tx.run(() => this.erasure.erasePerson(caller.id, 'request'));
    // After the commit of the request's transaction when it runs in one (an Idempotency-Key).
    if (erased) await this.tx.afterCommit(() => this.erasure.removeFiles(erased.files).then(() => undefined));
  }

  /** A host family's own data, for its managing coordinator (or an admin) to hand over. */
  async exportFamily(caller: Caller, id: string): Promise<ExportFile> {
    const now = new Date();
    const document = await this.tx.run(async () => {
      const seen = this.access.authorize(caller, 'host_family', 'edit', await this.families.findById(id));
      const placements = await this.exports.familyPlacements(seen.id);
      const audit = await this.auditEntries.about(seen.id, placements.map((p) => p.id as string));
      const exported = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: now.toISOString(),
        subject: { hostFamilyId: seen.id },
        hostFamily: await this.exports.family(seen.id),
        vettings: await this.exports.familyVettings(seen.id),
        placements,
        accounts: await this.exports.familyAccounts(seen.id),
        // Entries about the family or its placements; the family is no actor (its accounts are, under their own ids).
        audit: audit.filter((entry) => entry.targetId !== null).map((entry) => auditEntryView(entry, null)),
      };
      await this.audit.record({ action: 'host_family.export', targetType: 'host_family', targetId: seen.id, institutionIds: [seen.institutionId], details: { placements: placements.length } });
      return exported;
    });
    return { fileName: `exchange-host-family-${id}-${day(now)}.json`, document };
  }

  async eraseFamily(caller: Caller, id: string): Promise<void> {
    const erased = await this.tx.run(() => this.erasure.eraseFamily(caller, id));
    await this.tx.afterCommit(() => this.erasure.removeFiles(erased.files).then(() => undefined));
  }
}

function omit(row: Row, ...columns: string[]): Row {
  const copy = { ...row };
  for (const column of columns) delete copy[column];
  return copy;
}

/**
 * An audit entry as its export shows it: who acted only when it was the person (others'
 * ids and addresses are theirs), the rest as recorded.
 */
function auditEntryView(entry: AuditEntry, personId: string | null) {
  const byYou = personId !== null && entry.actorId === personId;
  return {
    id: entry.id,
    seq: entry.seq,
    at: entry.at.toISOString(),
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    actorRole: entry.actorRole,
    byYou,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    comment: entry.comment,
    details: entry.details,
    ...(byYou ? { clientAddress: entry.clientAddress, requestId: entry.requestId } : {}),
  };
}
