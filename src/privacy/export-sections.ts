/**
 * The sections of a person's export (`GET /me/export`) and the tables each one reads. The
 * export lists them (`sections`), and test/e2e/privacy.spec.ts checks against the schema
 * that every table holding something of a person (a column pointing to a user or an
 * application) is read by one of them, or excluded there with its reason: a new table fails
 * that test until someone decides whether it belongs in the export.
 */
export const EXPORT_SECTIONS = {
  profile: { tables: ['users'], about: 'the account: e-mail, name, role, institution, language, notification preferences' },
  sessions: { tables: ['refresh_tokens', 'web_sessions'], about: 'sign-ins (through the API or the portal): when each session began, ran out, was renewed or ended (never the tokens)' },
  calendarFeeds: { tables: ['calendar_feed_tokens'], about: 'the calendar subscription link to the arrivals board: when it was made (never the link)' },
  invitations: { tables: ['password_tokens'], about: 'codes sent to choose a password: when sent, until when valid, when used (never the codes)' },
  applications: { tables: ['applications', 'application_history'], about: 'applications with what was given in them and every change of their history' },
  travelDetails: { tables: ['applications'], about: 'how and when the student arrives' },
  documents: { tables: ['documents', 'document_downloads'], about: "the applications' documents (metadata and a download link) and who downloaded each when" },
  learningAgreements: { tables: ['learning_agreements', 'learning_agreement_versions'], about: 'learning agreements with their signatures and earlier versions' },
  placements: { tables: ['placements'], about: 'host-family placements of the applications' },
  checklists: { tables: ['checklist_items'], about: 'arrival formalities and their completion' },
  notifications: { tables: ['notifications'], about: 'in-app messages' },
  reminders: { tables: ['reminders_sent'], about: 'which reminders were given, of what and when' },
  mails: { tables: ['mail_jobs'], about: 'mails sent or queued to the person (their bodies are dropped once sent)' },
  authored: {
    tables: [
      'application_history',
      'agreements',
      'agreement_approvals',
      'agreement_versions',
      'programs',
      'documents',
      'document_downloads',
      'learning_agreements',
      'learning_agreement_versions',
      'placements',
      'checklist_items',
      'host_family_vettings',
    ],
    about: 'what the person did or wrote in the records of others: changes, approvals, uploads, downloads, signatures, proposals, completed items, vettings',
  },
  audit: { tables: ['audit.audit_log'], about: "the audit log's entries about the person's objects, or of what the person did" },
} as const satisfies Record<string, { tables: readonly string[]; about: string }>;

export type ExportSection = keyof typeof EXPORT_SECTIONS;

export function exportSectionList(): { name: ExportSection; tables: string[]; about: string }[] {
  return (Object.keys(EXPORT_SECTIONS) as ExportSection[]).map((name) => ({ name, tables: [...EXPORT_SECTIONS[name].tables], about: EXPORT_SECTIONS[name].about }));
}
