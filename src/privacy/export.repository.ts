import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../common/transactions/transaction-host.js';

type Row = Record<string, unknown>;

/**
 * The reads of an export: everything held about one person, or one host family, as rows
 * ready to be written out (column names as the API spells them, calendar dates as text).
 * Never a password hash, a token or a token's hash.
 */
@Injectable()
export class ExportRepository {
  constructor(private readonly tx: TransactionHost) {}

  private query<T = Row>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.tx.manager.query(sql, parameters) as Promise<T[]>;
  }

  async profile(userId: string): Promise<Row | undefined> {
    const [row] = await this.query(
      `SELECT id, email, full_name AS "fullName", role, institution_id AS "institutionId", host_family_id AS "hostFamilyId", locale,
              notification_preferences AS "notificationPreferences", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM users WHERE id = $1`,
      [userId],
    );
    return row;
  }

  sessions(userId: string): Promise<Row[]> {
    return this.query(
      `SELECT id, family_id AS "sessionId", created_at AS "issuedAt", expires_at AS "expiresAt", used_at AS "renewedAt", revoked_at AS "revokedAt",
              EXISTS (SELECT 1 FROM web_sessions w WHERE w.family_id = r.family_id) AS "portal"
         FROM refresh_tokens r WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
  }

  calendarFeeds(userId: string): Promise<Row[]> {
    return this.query(`SELECT id, created_at AS "createdAt" FROM calendar_feed_tokens WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  }

  invitations(userId: string): Promise<Row[]> {
    return this.query(`SELECT id, created_at AS "sentAt", expires_at AS "expiresAt", used_at AS "usedAt" FROM password_tokens WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  }

  applications(studentId: string): Promise<Row[]> {
    return this.query(
      `SELECT a.id, a.program_id AS "programId", p.title AS "programTitle", p.academic_year AS "academicYear",
              a.sending_institution_id AS "sendingInstitutionId", a.receiving_institution_id AS "receivingInstitutionId", a.status,
              a.motivation, a.language_levels AS "languageLevels", a.date_of_birth::text AS "dateOfBirth", a.gender, a.matching_profile AS "matchingProfile",
              a.submitted_at AS "submittedAt", a.nominated_at AS "nominatedAt", a.accepted_at AS "acceptedAt", a.arrived_at AS "arrivedAt",
              a.travel, a.created_at AS "createdAt", a.updated_at AS "updatedAt"
         FROM applications a JOIN programs p ON p.id = a.program_id
        WHERE a.student_id = $1 ORDER BY a.created_at, a.id`,
      [studentId],
    );
  }

  history(applicationIds: readonly string[]): Promise<Row[]> {
    if (!applicationIds.length) return Promise.resolve([]);
    return this.query(
      `SELECT id, application_id AS "applicationId", action, from_status AS "fromStatus", to_status AS "toStatus", actor_id AS "actorId", actor_role AS "actorRole",
              comment, reason, details, created_at AS "at"
         FROM application_history WHERE application_id = ANY($1::uuid[]) ORDER BY seq`,
      [applicationIds],
    );
  }

  documents(applicationIds: readonly string[]): Promise<Row[]> {
    if (!applicationIds.length) return Promise.resolve([]);
    return this.query(
      `SELECT id, application_id AS "applicationId", type, file_name AS "fileName", media_type AS "mediaType", size, sha256, uploaded_by AS "uploadedBy", created_at AS "uploadedAt"
         FROM documents WHERE application_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [applicationIds],
    );
  }

  downloads(documentIds: readonly string[]): Promise<Row[]> {
    if (!documentIds.length) return Promise.resolve([]);
    return this.query(
      `SELECT document_id AS "documentId", user_id AS "userId", user_role AS "userRole", downloaded_at AS "at" FROM document_downloads WHERE document_id = ANY($1::uuid[]) ORDER BY downloaded_at, id`,
      [documentIds],
    );
  }

  learningAgreements(applicationIds: readonly string[]): Promise<Row[]> {
    if (!applicationIds.length) return Promise.resolve([]);
    return this.query(
      `SELECT application_id AS "applicationId", version, components, recognized_components AS "recognizedComponents", signatures, updated_by AS "updatedBy",
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM learning_agreements WHERE application_id = ANY($1::uuid[]) ORDER BY application_id`,
      [applicationIds],
    );
  }

  learningAgreementVersions(applicationIds: readonly string[]): Promise<Row[]> {
    if (!applicationIds.length) return Promise.resolve([]);
    return this.query(
      `SELECT application_id AS "applicationId", version, components, recognized_components AS "recognizedComponents", signatures,
              superseded_at AS "supersededAt", superseded_by AS "supersededBy"
         FROM learning_agreement_versions WHERE application_id = ANY($1::uuid[]) ORDER BY application_id, version`,
      [applicationIds],
    );
  }

  /** The student's placements; the family is named only where the student was told it (the placement was accepted). */
  placementsOfStudent(studentId: string): Promise<Row[]> {
    return this.query(
      `SELECT p.id, p.application_id AS "applicationId", p.host_family_id AS "hostFamilyId",
              CASE WHEN p.accepted_at IS NOT NULL THEN f.display_name END AS "hostFamilyName",
              p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn", p.status, p.accepted_at AS "acceptedAt", p.ended_on::text AS "endedOn",
              p.reason, p.created_at AS "createdAt", p.updated_at AS "updatedAt"
         FROM placements p JOIN host_families f ON f.id = p.host_family_id
        WHERE p.student_id = $1 ORDER BY p.created_at, p.id`,
      [studentId],
    );
  }

  checklistItems(applicationIds: readonly string[]): Promise<Row[]> {
    if (!applicationIds.length) return Promise.resolve([]);
    return this.query(
      `SELECT id, application_id AS "applicationId", code, sequence, due_on::text AS "dueOn", provisional, responsible,
              completed_at AS "completedAt", completed_by_role AS "completedByRole", note, created_at AS "createdAt"
         FROM checklist_items WHERE application_id = ANY($1::uuid[]) ORDER BY application_id, due_on, code, sequence`,
      [applicationIds],
    );
  }

  notifications(userId: string): Promise<Row[]> {
    return this.query(
      `SELECT id, kind, object_type AS "objectType", object_id AS "objectId", params, created_at AS "createdAt", read_at AS "readAt"
         FROM notifications WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
  }

  reminders(userId: string): Promise<Row[]> {
    return this.query(`SELECT kind, object_id AS "objectId", sent_at AS "sentAt" FROM reminders_sent WHERE user_id = $1 ORDER BY sent_at, kind, object_id`, [userId]);
  }

  /** Mails to the person's address: what, when and how far they got (bodies are dropped once sent, and never exported: an invitation's holds a code). */
  mails(email: string): Promise<Row[]> {
    return this.query(
      `SELECT id, kind, subject, status, attempts, created_at AS "queuedAt", sent_at AS "sentAt"
         FROM mail_jobs WHERE to_address = $1 ORDER BY created_at, id`,
      [email],
    );
  }

  /** What the person did in everyone's records (a student's own history entries among them). */
  async authored(userId: string): Promise<Record<string, Row[]>> {
    const q = (sql: string) => this.query(sql, [userId]);
    return {
      applicationChanges: await q(
        `SELECT id, application_id AS "applicationId", action, from_status AS "fromStatus", to_status AS "toStatus", comment, reason, created_at AS "at"
           FROM application_history WHERE actor_id = $1 ORDER BY seq`,
      ),
      agreementsCreated: await q(`SELECT id, title, status, version, created_at AS "createdAt" FROM agreements WHERE created_by = $1 ORDER BY created_at, id`),
      agreementsTerminated: await q(`SELECT id, title, terminated_at AS "terminatedAt", termination_reason AS "reason" FROM agreements WHERE terminated_by = $1 ORDER BY terminated_at, id`),
      agreementApprovals: await q(
        `SELECT agreement_id AS "agreementId", institution_id AS "institutionId", approved_at AS "approvedAt", comment FROM agreement_approvals WHERE approved_by = $1 ORDER BY approved_at`,
      ),
      agreementVersionsReplaced: await q(`SELECT agreement_id AS "agreementId", version, superseded_at AS "supersededAt" FROM agreement_versions WHERE superseded_by = $1 ORDER BY superseded_at`),
      programsCreated: await q(`SELECT id, title, status, academic_year AS "academicYear", created_at AS "createdAt" FROM programs WHERE created_by = $1 ORDER BY created_at, id`),
      documentsUploaded: await q(
        `SELECT id, application_id AS "applicationId", type, media_type AS "mediaType", size, created_at AS "uploadedAt" FROM documents WHERE uploaded_by = $1 ORDER BY created_at, id`,
      ),
      documentsDownloaded: await q(`SELECT document_id AS "documentId", downloaded_at AS "at" FROM document_downloads WHERE user_id = $1 ORDER BY downloaded_at, id`),
      learningAgreementChanges: await q(
        `SELECT application_id AS "applicationId", version, updated_at AS "at" FROM learning_agreements WHERE updated_by = $1
         UNION ALL
         SELECT application_id, version, superseded_at FROM learning_agreement_versions WHERE superseded_by = $1
         ORDER BY 3`,
      ),
      learningAgreementSignatures: await q(
        `SELECT application_id AS "applicationId", version, s->>'party' AS party, s->>'signedAt' AS "signedAt"
           FROM (SELECT application_id, version, signatures FROM learning_agreements UNION ALL SELECT application_id, version, signatures FROM learning_agreement_versions) la,
                jsonb_array_elements(la.signatures) s
          WHERE s->>'signedBy' = $1::text ORDER BY 4`,
      ),
      placementsProposed: await q(
        `SELECT id, application_id AS "applicationId", host_family_id AS "hostFamilyId", status, created_at AS "proposedAt" FROM placements WHERE proposed_by = $1 ORDER BY created_at, id`,
      ),
      checklistItemsCompleted: await q(
        `SELECT id, application_id AS "applicationId", code, sequence, completed_at AS "completedAt", note FROM checklist_items WHERE completed_by = $1 ORDER BY completed_at, id`,
      ),
      vettingsRecorded: await q(
        `SELECT id, host_family_id AS "hostFamilyId", background_check_on::text AS "backgroundCheckOn", home_visit_on::text AS "homeVisitOn", outcome, notes, recorded_at AS "recordedAt"
           FROM host_family_vettings WHERE recorded_by = $1 ORDER BY recorded_at, id`,
      ),
    };
  }

  // ---------------------------------------------------------------- a host family

  async family(id: string): Promise<Row | undefined> {
    const [row] = await this.query(
      `SELECT id, institution_id AS "institutionId", display_name AS "displayName", contact_email AS "contactEmail", contact_phone AS "contactPhone", address,
              capacity, languages, has_pets AS "hasPets", pet_types AS "petTypes", smoking_household AS "smokingHousehold", diets_supported AS "dietsSupported",
              accepts_minors AS "acceptsMinors", gender_preference AS "genderPreference", available_from::text AS "availableFrom", available_to::text AS "availableTo",
              commute_minutes AS "commuteMinutes", status, vetting_expires_on::text AS "vettingExpiresOn", suspension_reason AS "suspensionReason",
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM host_families WHERE id = $1`,
      [id],
    );
    return row;
  }

  familyVettings(id: string): Promise<Row[]> {
    return this.query(
      `SELECT id, background_check_on::text AS "backgroundCheckOn", home_visit_on::text AS "homeVisitOn", outcome, notes, expires_on::text AS "expiresOn",
              recorder_role AS "recordedByRole", recorded_at AS "recordedAt"
         FROM host_family_vettings WHERE host_family_id = $1 ORDER BY recorded_at, id`,
      [id],
    );
  }

  /** The family's placements: dates, status and the reasons given; the students are other people, named by their application only. */
  familyPlacements(id: string): Promise<Row[]> {
    return this.query(
      `SELECT id, application_id AS "applicationId", starts_on::text AS "startsOn", ends_on::text AS "endsOn", status, accepted_at AS "acceptedAt",
              ended_on::text AS "endedOn", reason, created_at AS "createdAt"
         FROM placements WHERE host_family_id = $1 ORDER BY created_at, id`,
      [id],
    );
  }

  familyAccounts(id: string): Promise<Row[]> {
    return this.query(
      `SELECT id, email, full_name AS "fullName", locale, created_at AS "createdAt", erased_at AS "erasedAt" FROM users WHERE host_family_id = $1 ORDER BY created_at, id`,
      [id],
    );
  }
}
