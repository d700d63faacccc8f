import { Agreement, AgreementApproval, AgreementPartner, AgreementQuota, AgreementVersion } from '../agreements/agreement.entity.js';
import { AuditChainHead, AuditEntry } from '../audit/audit-entry.entity.js';
import { PasswordToken } from '../auth/password-token.entity.js';
import { Application, ApplicationHistoryEntry } from '../applications/application.entity.js';
import { CalendarFeedToken } from '../arrivals/calendar-feed-token.entity.js';
import { ChecklistItem } from '../arrivals/checklist-item.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { WebSession } from '../auth/web-session.entity.js';
import { TableVersion } from '../common/database/table-version.entity.js';
import { IdempotencyRecord } from '../common/idempotency/idempotency-record.entity.js';
import { RateLimitBucket } from '../common/rate-limit/rate-limit-bucket.entity.js';
import { Document, DocumentDownload } from '../documents/document.entity.js';
import { HostFamily, HostFamilyVetting } from '../host-families/host-family.entity.js';
import { Institution } from '../institutions/institution.entity.js';
import { LearningAgreement, LearningAgreementVersion } from '../learning-agreements/learning-agreement.entity.js';
import { MailJob, Notification, ScheduledRun, SentReminder } from '../notifications/notification.entity.js';
import { Placement } from '../placements/placement.entity.js';
import { Program } from '../programs/program.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity of the schema. A new entity is added here, then a migration generated. */
export const entities = [
  Institution,
  User,
  RefreshToken,
  RateLimitBucket,
  IdempotencyRecord,
  Agreement,
  AgreementPartner,
  AgreementQuota,
  AgreementApproval,
  AgreementVersion,
  Program,
  PasswordToken,
  Application,
  ApplicationHistoryEntry,
  Document,
  DocumentDownload,
  LearningAgreement,
  LearningAgreementVersion,
  HostFamily,
  HostFamilyVetting,
  Placement,
  ChecklistItem,
  Notification,
  MailJob,
  SentReminder,
  ScheduledRun,
  AuditEntry,
  AuditChainHead,
  WebSession,
  CalendarFeedToken,
  TableVersion,
];
