import { canSeeApplication } from '../applications/application.rules.js';
import type { Application } from '../applications/application.entity.js';
import type { ResourceRules } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import type { DocumentType } from '../programs/program.entity.js';
import type { Document } from './document.entity.js';

export type DocumentAction = 'download' | 'delete';

export interface DocumentOfApplication {
  document: Document;
  application: Application;
}

declare module '../common/access/access-policy.js' {
  interface Resources {
    document: { object: DocumentOfApplication; action: DocumentAction };
  }
}

/** What host-school staff may read of an incoming student's file (SPEC section 2). */
export const HOST_SCHOOL_DOCUMENT_TYPES: readonly DocumentType[] = ['passport', 'insurance'];

/** The document types a caller who sees the application may see: written once for the object check and the list. */
export const visibleDocumentTypes = (caller: Caller): readonly DocumentType[] | 'all' => (caller.role === 'host_school' ? HOST_SCHOOL_DOCUMENT_TYPES : 'all');

/** Whoever sees the application sees its documents, except host-school staff: passport and insurance only. */
export const documentRules: ResourceRules<'document'> = {
  resource: 'document',
  canSee: (caller, { document, application }) => {
    const types = visibleDocumentTypes(caller);
    return canSeeApplication(caller, application) && (types === 'all' || types.includes(document.type));
  },
  can: (caller, action, { application }) => action === 'download' || (caller.role === 'student' && application.studentId === caller.id),
};
