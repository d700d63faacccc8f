import type { Caller } from '../common/http/caller.js';
import { CEFR_LEVELS } from '../common/languages.js';
import type { Program } from '../programs/program.entity.js';
import type { Application, ApplicationHistoryEntry, ApplicationStatus } from './application.entity.js';
import { seesLanguageCheck, seesPrivateFields } from './application.rules.js';
import { allowedTransitions, type Party } from './application.state-machine.js';
import type { ApplicationView, HistoryEntryView } from './dto/application.dto.js';

/** CEFR order; a native speaker meets any requirement. */
function rank(level: string): number {
  return level === 'native' ? CEFR_LEVELS.length : CEFR_LEVELS.indexOf(level as (typeof CEFR_LEVELS)[number]);
}

/** Whether the declared levels meet the programme's requirement; null when it has none. */
export function meetsLanguageRequirement(application: Pick<Application, 'languageLevels'>, program: Pick<Program, 'languageRequirement'>): boolean | null {
  const requirement = program.languageRequirement;
  if (!requirement) return null;
  return application.languageLevels.some((l) => l.language === requirement.language && rank(l.level) >= rank(requirement.minLevel));
}

/** What an application's answer reads of it. */
export type ShownApplication = Pick<
  Application,
  | 'id' | 'programId' | 'studentId' | 'sendingInstitutionId' | 'receivingInstitutionId' | 'status' | 'dateOfBirth' | 'submittedAt' | 'arrivedAt'
  | 'travel' | 'createdAt' | 'updatedAt' | 'motivation' | 'languageLevels' | 'gender' | 'matchingProfile'
>;

/**
 * The application as this caller may see it: host-school staff get identity, dates and
 * status only (SPEC section 2), coordinators also the language check against the
 * programme's requirement.
 */
export function applicationView(application: ShownApplication, studentName: string, caller: Caller, parties: Party[], program?: Pick<Program, 'languageRequirement'>): ApplicationView {
  const view: ApplicationView = {
    id: application.id,
    programId: application.programId,
    studentId: application.studentId,
    studentName,
    sendingInstitutionId: application.sendingInstitutionId,
    receivingInstitutionId: application.receivingInstitutionId,
    status: application.status,
    dateOfBirth: application.dateOfBirth,
    allowedTransitions: allowedTransitions(application.status, parties),
    submittedAt: application.submittedAt?.toISOString() ?? null,
    arrivedAt: application.arrivedAt?.toISOString() ?? null,
    travel: application.travel,
    createdAt: application.createdAt.toISOString(),
    updatedAt: application.updatedAt.toISOString(),
  };
  if (!seesPrivateFields(caller)) return view;
  view.motivation = application.motivation;
  view.languageLevels = application.languageLevels;
  view.gender = application.gender;
  view.matchingProfile = application.matchingProfile;
  if (seesLanguageCheck(caller) && program) view.meetsLanguageRequirement = meetsLanguageRequirement(application, program);
  return view;
}

/** One history entry; comments and reasons only for those who see the application's private fields. */
export function historyEntryView(entry: ApplicationHistoryEntry, withComments: boolean): HistoryEntryView {
  return {
    id: entry.id,
    action: entry.action,
    from: entry.fromStatus as ApplicationStatus | null,
    to: entry.toStatus,
    actorId: entry.actorId,
    role: entry.actorRole,
    comment: withComments ? entry.comment : null,
    reason: withComments ? entry.reason : null,
    details: entry.details,
    at: entry.createdAt.toISOString(),
  };
}
