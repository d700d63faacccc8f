import { canSeeApplication } from '../applications/application.rules.js';
import type { Application } from '../applications/application.entity.js';
import type { ResourceRules } from '../common/access/access-policy.js';
import type { DocumentType } from '../programs/program.entity.js';
import type { Document } from './document.entity.js';

export type DocumentAction = 'download' | 'delete';

/** What host-school staff may read of an incoming student's file (SPEC section 2). */
export const HOST_SCHOOL_DOCUMENT_TYPES: readonly DocumentType[] = ['passport', 'insurance'];

export interface DocumentOfApplication {
  document: Document;
  application: Application;
}

/** Whoever sees the application sees its documents, except host-school staff: passport and insurance only. */
export const documentRules: ResourceRules<DocumentOfApplication, DocumentAction> = {
  resource: 'document',
  canSee: (caller, { document, application }) =>
    canSeeApplication(caller, application) && (caller.role !== 'host_school' || HOST_SCHOOL_DOCUMENT_TYPES.includes(document.type)),
  can: (caller, action, { application }) => action === 'download' || (caller.role === 'student' && application.studentId === caller.id),
};
