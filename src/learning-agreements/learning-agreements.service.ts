import { Injectable, type OnModuleInit } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import type { Application } from '../applications/application.entity.js';
import { ApplicationHooks } from '../applications/application.hooks.js';
import { FINAL } from '../applications/application.state-machine.js';
import { ApplicationErrors } from '../applications/applications.errors.js';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { ProgramsRepository } from '../programs/programs.repository.js';
import type { LearningAgreementView, PutLearningAgreementDto, SignLearningAgreementDto } from './dto/learning-agreement.dto.js';
import type { LearningAgreement, Signatory } from './learning-agreement.entity.js';
import { learningAgreementVersionView, learningAgreementView } from './learning-agreement.view.js';
import { LearningAgreementsRepository } from './learning-agreements.repository.js';
import { learningAgreementStatus, seesLearningAgreements, signatoryOf, writesLearningAgreement } from './learning-agreement.rules.js';
import { LearningAgreementErrors as Errors } from './learning-agreements.errors.js';
import { AuditLog } from '../audit/audit-log.js';
import { institutionsSeeing } from '../applications/application.rules.js';

/**
 * Learning agreements of university programmes. The student and the coordinators of both
 * sides edit it; each of the three signs for its part; any change after a signature is a
 * new version without signatures (the earlier one is archived). Host-school staff and host
 * families do not see it.
 */
@Injectable()
export class LearningAgreementsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly agreements: LearningAgreementsRepository,
    private readonly applications: ApplicationsService,
    private readonly applicationRows: ApplicationsRepository,
    private readonly programs: ProgramsRepository,
    private readonly hooks: ApplicationHooks,
  ) {}

  onModuleInit(): void {
    // A student confirms its place only once the learning agreement is approved, when the programme requires one.
    // The application row is locked by the transition, and changes of the agreement take that lock first.
    this.hooks.precondition('confirm', 'learning-agreements', async ({ application, program }) => {
      if (!program.requiresLearningAgreement) return;
      const agreement = await this.agreements.findOf(application.id);
      if (learningAgreementStatus(agreement) !== 'approved') throw Errors.notApproved();
    });
  }

  /** The application (visible to a party of the agreement) and its programme, which must have one. */
  private async context(caller: Caller, applicationId: string) {
    if (!seesLearningAgreements(caller)) throw Errors.notFound();
    const application = await this.applications.visible(caller, applicationId);
    const program = (await this.programs.findById(application.programId))!;
    return { application, program };
  }

  async get(caller: Caller, applicationId: string): Promise<LearningAgreementView> {
    await this.context(caller, applicationId);
    const agreement = await this.agreements.findOf(applicationId);
    if (!agreement) throw Errors.notFound();
    return learningAgreementView(agreement);
  }

  /** Inside a change: takes the application's row lock (as its transitions do) and checks it is not final. */
  private async lockOpenApplication(applicationId: string): Promise<void> {
    const locked = await this.applicationRows.lock(applicationId);
    if (!locked || FINAL.includes(locked.status)) throw ApplicationErrors.notEditable(locked?.status ?? 'cancelled');
  }

  async put(caller: Caller, applicationId: string, dto: PutLearningAgreementDto): Promise<LearningAgreementView> {
    const { application, program } = await this.context(caller, applicationId);
    if (!program.requiresLearningAgreement) throw Errors.notRequired();
    if (!writesLearningAgreement(caller, application)) throw CommonErrors.forbidden();
    if (FINAL.includes(application.status)) throw ApplicationErrors.notEditable(application.status);
    const components = dto.components.map(({ code, title, credits, term }) => ({ code, title, credits, term }));
    const recognizedComponents = dto.recognizedComponents.map(({ code, title, credits, term }) => ({ code, title, credits, term }));

    // The learning agreement's id is its application's.
    const record = (details: Record<string, unknown>) =>
      this.audit.record({
        action: 'learning_agreement.edit',
        targetType: 'learning_agreement',
        targetId: applicationId,
        institutionIds: institutionsSeeing(application),
        details: { applicationId, ...details },
      });
    await this.tx.run(async () => {
      await this.lockOpenApplication(applicationId);
      // The first write creates it; a write that loses that race to another first write
      // waits for it and then applies as a change of it (never silently dropped).
      if (await this.agreements.insertFirst({ applicationId, components, recognizedComponents, signatures: [], updatedBy: caller.id })) return record({ version: 1 });
      const current = (await this.agreements.lockOf(applicationId))!;
      if (isDeepStrictEqual(current.components, components) && isDeepStrictEqual(current.recognizedComponents, recognizedComponents)) return;
      const changes: Partial<LearningAgreement> = { components, recognizedComponents, updatedBy: caller.id, updatedAt: new Date() };
      if (current.signatures.length) {
        await this.agreements.archive({
          applicationId,
          version: current.version,
          components: current.components,
          recognizedComponents: current.recognizedComponents,
          signatures: current.signatures,
          supersededAt: new Date(),
          supersededBy: caller.id,
        });
        changes.version = current.version + 1;
        changes.signatures = [];
      }
      await this.agreements.update(applicationId, changes);
      await record({ version: changes.version ?? current.version, signaturesCleared: current.signatures.length > 0 });
    });
    return this.get(caller, applicationId);
  }

  /** The party the caller signs for: its own; admins name one. */
  private partyOf(caller: Caller, application: Application, requested?: Signatory): Signatory {
    const party = signatoryOf(caller, application, requested);
    if (party === 'required') throw CommonErrors.invalidField('party', 'required', 'is required: the party you sign for');
    if (party === 'forbidden') throw CommonErrors.forbidden();
    return party;
  }

  async sign(caller: Caller, applicationId: string, dto: SignLearningAgreementDto): Promise<LearningAgreementView> {
    const { application } = await this.context(caller, applicationId);
    const party = this.partyOf(caller, application, dto.party);
    if (FINAL.includes(application.status)) throw ApplicationErrors.notEditable(application.status);
    await this.tx.run(async () => {
      await this.lockOpenApplication(applicationId);
      const current = await this.agreements.lockOf(applicationId);
      if (!current) throw Errors.notFound();
      if (!current.components.length) throw Errors.empty();
      if (current.signatures.some((s) => s.party === party)) throw Errors.alreadySigned();
      const signatures = [...current.signatures, { party, signedBy: caller.id, signedAt: new Date().toISOString() }];
      await this.agreements.update(applicationId, { signatures, updatedAt: new Date() });
      await this.audit.record({
        action: 'learning_agreement.sign',
        targetType: 'learning_agreement',
        targetId: applicationId,
        institutionIds: institutionsSeeing(application),
        details: { applicationId, party, version: current.version },
      });
    });
    return this.get(caller, applicationId);
  }

  /** Every version, oldest first; the last is the current one. */
  async versions(caller: Caller, applicationId: string): Promise<Page<LearningAgreementView>> {
    const current = await this.get(caller, applicationId);
    const archived = await this.agreements.versionsOf(applicationId);
    const items: LearningAgreementView[] = archived.map(learningAgreementVersionView);
    items.push(current);
    return { items, nextCursor: null };
  }
}
