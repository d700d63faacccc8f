import { Inject, Injectable, Logger } from '@nestjs/common';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Application } from '../applications/application.entity.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AuditLog } from '../audit/audit-log.js';
import { TokenService } from '../auth/token.service.js';
import { AccessPolicy } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import { documentsFolder } from '../documents/documents.service.js';
import { HostFamiliesRepository } from '../host-families/host-families.repository.js';
import { HostFamiliesService } from '../host-families/host-families.service.js';
import { ERASED_FAMILY_NAME, ERASED_NAME, erasedAddress, jsonLikePatterns, needlesOf, scrubJson, scrubText } from './erasure.js';
import { PrivacyErrors } from './privacy.errors.js';
import { PrivacyRepository, type Person, type TextRow } from './privacy.repository.js';
import { ENDED, MOBILITY_IN_PROGRESS, WITHDRAWN_ON_ERASURE } from './retention.rules.js';

/** Serialises the erasures of administrators, so that two of them erasing themselves at once cannot leave none. */
const ADMIN_ERASURE_LOCK = 7_310_002;

/** What the student's withdrawn applications say in their history (and the coordinators are told). */
const WITHDRAWN_COMMENT = 'The student erased their personal data.';
/** Why an erased family is suspended (its status changes only through its lifecycle). */
const SUSPENDED_REASON = 'Personal data erased at the request of the managing institution.';

/** A file younger than this without a document row may be an upload still being written: the sweep leaves it. */
const ORPHAN_AFTER_MS = 24 * 3_600_000;

export interface PersonErasure {
  personId: string;
  applications: number;
  withdrawn: number;
  documents: number;
  /** storage keys of the files to delete once the transaction has committed */
  files: string[];
}

export interface FamilyErasure {
  hostFamilyId: string;
  accounts: number;
  placements: number;
  files: string[];
}

/**
 * Erasure: a person's data replaced and their traces in others' records scrubbed, in the
 * open transaction (the caller opens it and deletes the returned files after it has
 * committed: a transaction that fails loses no file). Used by `POST /me/erase`, by the
 * host families' erasure, and by the retention job.
 *
 * What stays (the statistics and the partners' records): the account row (as "Erased
 * user" with an undeliverable address), the applications with their status, programme,
 * institutions, dates and history, learning agreements, placements and checklists. What
 * goes: name, e-mail, password, preferences; what the student gave (motivation, language
 * levels, date of birth, gender, matching profile, travel details); documents (files and
 * rows); the person's own messages, mails, invitations, sessions (revoked), throttling
 * counters and cached answers; and the name or e-mail wherever others' texts tied to the
 * person's objects repeat them (notifications, mails, history comments, reasons, notes).
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger('Privacy');
  private readonly folder: string;

  constructor(
    private readonly tx: TransactionHost,
    private readonly rows: PrivacyRepository,
    private readonly applications: ApplicationsService,
    private readonly families: HostFamiliesService,
    private readonly familyRows: HostFamiliesRepository,
    private readonly tokens: TokenService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLog,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.folder = documentsFolder(settings);
  }

  /**
   * Erases one person, in the open transaction. `request`: the person asked (refused during
   * a mobility, or for the last administrator; open applications are withdrawn in their
   * name). `retention`: the retention job (only a student whose applications have all
   * ended; null when that no longer holds under the lock, or the person is already erased).
   */
  async erasePerson(personId: string, by: 'request' | 'retention'): Promise<PersonErasure | null> {
    const manager = this.tx.required;
    const first = await this.rows.person(personId);
    if (!first || first.erasedAt) return null;
    if (first.role === 'admin') await manager.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_ERASURE_LOCK]);
    // Lock order: the person, the programmes it applied to (shared), then its applications (ascending): no transition of theirs slips in between.
    const person = (await this.rows.lockPerson(personId))!;
    if (person.erasedAt) return null;
    await this.rows.lockProgramsOf(person.id);
    const applications = await this.rows.lockApplications(await this.rows.applicationIdsOf(person.id));

    if (by === 'retention' && applications.some((a) => !ENDED.includes(a.status))) return null;
    const travelling = applications.find((a) => MOBILITY_IN_PROGRESS.includes(a.status));
    if (travelling) throw PrivacyErrors.mobilityInProgress(travelling.status);
    if (person.role === 'admin' && (await this.rows.otherActiveAdmins(person.id)) === 0) throw PrivacyErrors.lastAdmin();

    const needles = needlesOf([person.fullName, person.email]);
    const applicationIds = applications.map((a) => a.id);

    // The account first: whatever the withdrawals below tell the coordinators names the erased account, not the person.
    await this.rows.anonymiseAccount(person.id, { email: erasedAddress(person.id), fullName: ERASED_NAME });
    const open = applications.filter((a) => WITHDRAWN_ON_ERASURE.includes(a.status));
    for (const application of open) {
      await this.applications.transition(callerOf(person), application.id, 'withdraw', { comment: WITHDRAWN_COMMENT });
    }
    await this.rows.anonymiseApplications(applicationIds);
    await this.scrubApplicationRecords(applicationIds, needles);
    const files = await this.rows.deleteDocumentsOf(applicationIds);
    await this.eraseAccountTraces(person, applications);

    await this.audit.record({
      action: by === 'request' ? 'privacy.erase' : 'privacy.retention',
      targetType: 'user',
      targetId: person.id,
      institutionIds: [person.institutionId, ...applications.flatMap((a) => [a.sendingInstitutionId, a.receivingInstitutionId])],
      details: { role: person.role, applications: applicationIds.length, withdrawn: open.length, documents: files.length },
      ...(by === 'retention' ? { actor: null } : {}),
    });
    return { personId: person.id, applications: applicationIds.length, withdrawn: open.length, documents: files.length, files };
  }

  /**
   * Erases a host family's data at its managing coordinator's request (404 outside the
   * caller's scope, 403 when not its manager), in the open transaction: the record keeps
   * its beds, languages, city and history but loses its name, contact, street and vetting
   * notes, and is suspended; the accounts that act for it are erased; the family's name
   * and contact are scrubbed from what others were told of its placements.
   */
  async eraseFamily(caller: Caller, hostFamilyId: string): Promise<FamilyErasure> {
    this.access.authorize(caller, 'host_family', 'edit', await this.familyRows.findById(hostFamilyId));
    // Lock order: the family's accounts (users), then the family.
    const accounts: Person[] = [];
    for (const id of await this.rows.familyUserIds(hostFamilyId)) {
      const person = await this.rows.lockPerson(id);
      if (person && !person.erasedAt) accounts.push(person);
    }
    const family = this.access.authorize(caller, 'host_family', 'edit', await this.familyRows.lock(hostFamilyId));
    if ((await this.rows.livePlacementsOf(family.id)) > 0) throw PrivacyErrors.familyHasLivePlacements();

    const needles = needlesOf([family.displayName, family.contactEmail, family.contactPhone, family.address?.line1, ...accounts.flatMap((a) => [a.fullName, a.email])]);
    await this.rows.anonymiseFamily(family.id, {
      displayName: ERASED_FAMILY_NAME,
      contactEmail: erasedAddress(family.id),
      suspensionReason: family.suspensionReason === null ? null : scrubText(family.suspensionReason, needles),
    });
    if (family.status === 'pending_vetting' || family.status === 'approved') await this.families.suspend(caller, family.id, SUSPENDED_REASON);
    for (const account of accounts) {
      await this.rows.anonymiseAccount(account.id, { email: erasedAddress(account.id), fullName: ERASED_NAME });
      await this.eraseAccountTraces(account, []);
    }

    const placementIds = await this.rows.placementIdsOfFamily(family.id);
    await this.scrubHistory(await this.rows.historyOfPlacements(placementIds), needles);
    for (const row of await this.rows.placementReasons({ hostFamilyId: family.id })) {
      const reason = scrubText(row.reason as string, needles);
      if (reason !== row.reason) await this.rows.updatePlacementReason(row.id, reason);
    }
    for (const row of await this.rows.checklistNotes({ hostFamilyId: family.id })) {
      const note = scrubText(row.note as string, needles);
      if (note !== row.note) await this.rows.updateChecklistNote(row.id, note);
    }
    await this.scrubNotifications([family.id, ...placementIds], needles);
    await this.rows.eraseAuditComments([family.id, ...placementIds], needles);
    await this.rows.deleteIdempotencyRecords(null, jsonLikePatterns([family.displayName, family.contactEmail, family.contactPhone]));

    await this.audit.record({
      action: 'host_family.erase',
      targetType: 'host_family',
      targetId: family.id,
      institutionIds: [family.institutionId],
      fromStatus: family.status,
      details: { accounts: accounts.length, placements: placementIds.length },
    });
    return { hostFamilyId: family.id, accounts: accounts.length, placements: placementIds.length, files: [] };
  }

  /** Deletes files of erased documents; for after the commit. A failure is logged: the retention job's sweep deletes the file later. */
  async removeFiles(storageKeys: readonly string[]): Promise<{ deleted: number; failed: number }> {
    let deleted = 0;
    let failed = 0;
    for (const key of storageKeys) {
      try {
        await rm(join(this.folder, key), { force: true });
        deleted += 1;
      } catch (error) {
        failed += 1;
        this.logger.error({ err: error, storageKey: key }, 'an erased document file could not be deleted (the retention job will try again)');
      }
    }
    return { deleted, failed };
  }

  /**
   * Files under the documents folder that no document row points to any more (a delete
   * that failed after its commit, an upload whose transaction failed and whose clean-up
   * did not happen), once older than a day: deleted.
   */
  async sweepOrphanFiles(now: Date): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const old: string[] = [];
    for (const name of names) {
      const info = await stat(join(this.folder, name)).catch(() => null);
      if (info?.isFile() && now.getTime() - info.mtimeMs > ORPHAN_AFTER_MS) old.push(name);
    }
    const keys = old.map((name) => name.replace(/\.part$/, '')).filter((key) => /^[0-9a-f-]{36}$/.test(key));
    const kept = await this.rows.storedKeys(keys);
    const orphans = old.filter((name) => {
      const key = name.replace(/\.part$/, '');
      return name.endsWith('.part') || (/^[0-9a-f-]{36}$/.test(key) && !kept.has(key));
    });
    const { deleted } = await this.removeFiles(orphans);
    return deleted;
  }

  /** History, placements' reasons and checklist notes of the applications, and what others were told of them. */
  private async scrubApplicationRecords(applicationIds: readonly string[], needles: readonly string[]): Promise<void> {
    await this.scrubHistory(await this.rows.historyOf(applicationIds), needles);
    for (const row of await this.rows.placementReasons({ applicationIds })) {
      const reason = scrubText(row.reason as string, needles);
      if (reason !== row.reason) await this.rows.updatePlacementReason(row.id, reason);
    }
    for (const row of await this.rows.checklistNotes({ applicationIds })) {
      const note = scrubText(row.note as string, needles);
      if (note !== row.note) await this.rows.updateChecklistNote(row.id, note);
    }
    const { placementIds, checklistItemIds } = await this.rows.objectsOfApplications(applicationIds);
    await this.scrubNotifications([...applicationIds, ...placementIds, ...checklistItemIds], needles);
    await this.rows.eraseAuditComments([...applicationIds, ...placementIds, ...checklistItemIds], needles);
  }

  /** History entries: comments, reasons and details; a travel change's details are the travel details themselves, and go. */
  private async scrubHistory(entries: readonly TextRow[], needles: readonly string[]): Promise<void> {
    for (const row of entries) {
      const details = row.action === 'travel.update' ? null : scrubJson(row.details, needles);
      const comment = row.comment === null ? null : scrubText(row.comment as string, needles);
      const reason = row.reason === null ? null : scrubText(row.reason as string, needles);
      if (details !== row.details || comment !== row.comment || reason !== row.reason) await this.rows.updateHistory(row.id, { comment, reason, details });
    }
  }

  /** Everyone's notifications about these objects, and the mails that double them (subject, bodies, last error). */
  private async scrubNotifications(objectIds: readonly string[], needles: readonly string[]): Promise<void> {
    const notifications = await this.rows.notificationsAbout(objectIds);
    for (const row of notifications) {
      const params = scrubJson(row.params, needles);
      if (params !== row.params) await this.rows.updateNotificationParams(row.id, params);
    }
    for (const mail of await this.rows.mailsOfNotifications(notifications.map((n) => n.id))) {
      const values = {
        subject: scrubText(mail.subject as string, needles),
        text: mail.text === null ? null : scrubText(mail.text as string, needles),
        html: mail.html === null ? null : scrubText(mail.html as string, needles),
        lastError: mail.lastError === null ? null : scrubText(mail.lastError as string, needles),
      };
      if (values.subject !== mail.subject || values.text !== mail.text || values.html !== mail.html || values.lastError !== mail.lastError) await this.rows.updateMail(mail.id, values);
    }
  }

  /** What belongs to the account alone: its messages, mails, invitations, sessions, calendar link, throttling counters and cached answers. */
  private async eraseAccountTraces(person: Person, applications: readonly Application[]): Promise<void> {
    await this.rows.deleteOwnTraces(person);
    await this.tokens.revokeAllOf(person.id);
    await this.rows.deleteWebSessions(person.id);
    await this.rows.deleteCalendarFeeds(person.id);
    await this.rows.eraseAuditComments([person.id], needlesOf([person.fullName, person.email]), person.id);
    await this.rows.eraseAuditAddresses(person.id);
    this.audit.withoutAddressOf(person.id);
    await this.rows.deleteRateLimitBuckets(person.email);
    await this.rows.deleteIdempotencyRecords(`user:${person.id}`, jsonLikePatterns([person.fullName, person.email, ...applications.map((a) => a.motivation)]));
  }
}

/** The person as the caller of the transitions taken on their behalf (their own withdrawals). */
function callerOf(person: Person): Caller {
  return { id: person.id, role: person.role, institutionId: person.institutionId, hostFamilyId: person.hostFamilyId, locale: person.locale };
}
