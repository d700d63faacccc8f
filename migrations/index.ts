// The ordered list of migrations; `npm run migration:generate -- Name` appends to it.
import { Initial1795849093612 } from './1795849093612-Initial.js';
import { AgreementsAndPrograms1795849496166 } from './1795849496166-AgreementsAndPrograms.js';
import { PasswordTokens1795850035246 } from './1795850035246-PasswordTokens.js';
import { Applications1795850705617 } from './1795850705617-Applications.js';
import { ApplicationListIndexes1795850970109 } from './1795850970109-ApplicationListIndexes.js';
import { UsersInstitutionRequired1795853104219 } from './1795853104219-UsersInstitutionRequired.js';
import { HostFamiliesAndPlacements1796168801888 } from './1796168801888-HostFamiliesAndPlacements.js';
import { Arrivals1796170853964 } from './1796170853964-Arrivals.js';
import { Notifications1796172836589 } from './1796172836589-Notifications.js';
import { ScheduledRuns1796175250962 } from './1796175250962-ScheduledRuns.js';
import { AuditLog1796587099719 } from './1796587099719-AuditLog.js';
import { ErasedAccounts1796587237486 } from './1796587237486-ErasedAccounts.js';
import { WebSessions1796587766347 } from './1796587766347-WebSessions.js';
import { PrivacyLookups1796588100185 } from './1796588100185-PrivacyLookups.js';
import { AuditSchema1796588400000 } from './1796588400000-AuditSchema.js';
import { CalendarFeedTokens1796588929397 } from './1796588929397-CalendarFeedTokens.js';
import { AuditCommentErasure1796590000000 } from './1796590000000-AuditCommentErasure.js';
import { AuditCommentGrant1796591000000 } from './1796591000000-AuditCommentGrant.js';
import { AuditAddressErasure1796592000000 } from './1796592000000-AuditAddressErasure.js';
import { TableVersions1796598834994 } from './1796598834994-TableVersions.js';

export const migrations = [
  Initial1795849093612,
  AgreementsAndPrograms1795849496166,
  PasswordTokens1795850035246,
  Applications1795850705617,
  ApplicationListIndexes1795850970109,
  UsersInstitutionRequired1795853104219,
  HostFamiliesAndPlacements1796168801888,
  Arrivals1796170853964,
  Notifications1796172836589,
  ScheduledRuns1796175250962,
  AuditLog1796587099719,
  ErasedAccounts1796587237486,
  WebSessions1796587766347,
  PrivacyLookups1796588100185,
  AuditSchema1796588400000,
  CalendarFeedTokens1796588929397,
  AuditCommentErasure1796590000000,
  AuditCommentGrant1796591000000,
  AuditAddressErasure1796592000000,
  TableVersions1796598834994,
];
