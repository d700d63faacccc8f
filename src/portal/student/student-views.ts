import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApplicationsService } from '../../applications/applications.service.js';
import type { ApplicationView } from '../../applications/dto/application.dto.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { Caller } from '../../common/http/caller.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import type { ProgramView } from '../../programs/dto/program.dto.js';
import { errorQueryOf } from '../page.js';
import { statusTone } from './present.js';

/** The tabs of an application's pages for its student (`application-header.eta`). */
export type ApplicationTab = 'edit' | 'documents' | 'learning-agreement' | 'travel';

/** An application with what its pages show around it: the programme and the two institutions' names. */
export interface ApplicationContext {
  application: ApplicationView;
  program: ProgramView;
  sendingName: string;
  receivingName: string;
  tone: string;
}

/**
 * What several of the student's pages read the same way, always through the services and
 * as the caller: an application with its programme (404 outside the caller's scope), and
 * institutions' names.
 */
@Injectable()
export class StudentViews {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly institutions: InstitutionsService,
  ) {}

  /** Names of institutions by id (public reference data). */
  async institutionNames(ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set(ids)) names.set(id, (await this.institutions.get(id)).name);
    return names;
  }

  async applicationOf(caller: Caller, id: string): Promise<ApplicationContext> {
    const application = await this.applications.get(caller, id);
    const program = await this.applications.programOf(caller, id);
    const names = await this.institutionNames([program.sendingInstitutionId, program.receivingInstitutionId]);
    return { application, program, sendingName: names.get(program.sendingInstitutionId)!, receivingName: names.get(program.receivingInstitutionId)!, tone: statusTone(application.status) };
  }
}

/** A refusal the reader can act on, said in words on the page (the rest: the error pages, as PortalPages.act decides). */
export function isShownOnPage(error: unknown): error is DomainError {
  return error instanceof DomainError && error.status !== 401 && error.status !== 404 && !(error.status === 403 && error.refusal) && error.code !== 'portal.csrf_invalid';
}

/** Post/redirect/get after a refusal: back with the error's code and the values its title names. */
export function redirectWithError(reply: FastifyReply, back: string, error: DomainError): void {
  reply.redirect(`${back}${back.includes('?') ? '&' : '?'}${errorQueryOf(error)}`, 303);
}

/** Where an action on an application leads back to: one of that application's pages, or its page. */
export function backTo(applicationId: string, back: string | undefined): string {
  const own = `/portal/applications/${applicationId}`;
  return back && (back === own || (back.startsWith(`${own}/`) && /^[\w/-]+$/.test(back))) ? back : own;
}
