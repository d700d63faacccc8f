import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AccessPolicy } from '../common/access/access-policy.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { Document } from '../documents/document.entity.js';
import { LearningAgreement } from '../learning-agreements/learning-agreement.entity.js';
import { learningAgreementStatus } from '../learning-agreements/learning-agreement.rules.js';
import { Program } from '../programs/program.entity.js';
import { effectiveStatus, isOpen, programRules } from '../programs/program.rules.js';
import { User } from '../users/user.entity.js';
import { Application, ApplicationHistoryEntry, type ApplicationStatus } from './application.entity.js';
import { applicationRules, partiesOf } from './application.rules.js';
import { decide, type TransitionName } from './application.state-machine.js';
import { applicationView } from './application.view.js';
import { ApplicationErrors } from './applications.errors.js';
import { ApplicationsRepository } from './applications.repository.js';
import type { ApplicationFieldsDto, ApplicationTransitionDto, ApplicationView, CreateApplicationDto, HistoryEntryView, ListApplicationsQuery } from './dto/application.dto.js';

/** Mass applying is a known abuse: at most this many applications not in a final state. */
export const MAX_OPEN_APPLICATIONS = 5;
/** Clock skew tolerated on a check-in time. */
const ARRIVAL_SKEW_MS = 60_000;

@Injectable()
export class ApplicationsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationsRepository,
    private readonly access: AccessPolicy,
  ) {}

  onModuleInit(): void {
    this.access.register(applicationRules);
  }

  /** Loads an application the caller may see (404 otherwise). */
  async visible(caller: Caller, id: string, manager?: EntityManager, lock = false): Promise<Application> {
    return this.access.visible(caller, 'application', await this.applications.findById(id, manager, lock));
  }

  private async view(caller: Caller, application: Application, manager: EntityManager = this.dataSource.manager): Promise<ApplicationView> {
    const program = await manager.findOne(Program, { where: { id: application.programId } });
    return applicationView(application, caller, partiesOf(caller, application), program ?? undefined);
  }

  private fields(dto: ApplicationFieldsDto): Partial<Application> {
    const fields: Partial<Application> = {};
    if (dto.motivation !== undefined) fields.motivation = dto.motivation;
    if (dto.languageLevels !== undefined) fields.languageLevels = dto.languageLevels.map(({ language, level }) => ({ language, level }));
    if (dto.dateOfBirth !== undefined) fields.dateOfBirth = dto.dateOfBirth;
    if (dto.gender !== undefined) fields.gender = dto.gender;
    if (dto.matchingProfile !== undefined) fields.matchingProfile = dto.matchingProfile && { ...dto.matchingProfile };
    return fields;
  }

  private record(manager: EntityManager, entry: Omit<ApplicationHistoryEntry, 'id' | 'seq' | 'createdAt' | 'application'>): Promise<unknown> {
    return manager.insert(ApplicationHistoryEntry, entry);
  }

  /** A draft application by a student to a published programme of its home institution. */
  async create(caller: Caller, dto: CreateApplicationDto): Promise<ApplicationView> {
    if (caller.role !== 'student') throw CommonErrors.forbidden();
    const id = await this.dataSource.transaction(async (manager) => {
      // One creation at a time per student, so that the open-applications limit holds.
      await manager.findOne(User, { where: { id: caller.id }, lock: { mode: 'pessimistic_write' }, select: { id: true } });
      // Shared lock: a programme being cancelled (which takes it exclusively) waits for this creation, or refuses it.
      const program = await manager.findOne(Program, { where: { id: dto.programId }, lock: { mode: 'pessimistic_read' } });
      if (!program || !programRules.canSee(caller, program) || effectiveStatus(program) !== 'published') throw ApplicationErrors.unknownProgram();
      if ((await this.applications.countOpenOf(caller.id, manager)) >= MAX_OPEN_APPLICATIONS) throw ApplicationErrors.tooManyOpen(MAX_OPEN_APPLICATIONS);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Application)
        .values({
          ...this.fields(dto),
          programId: program.id,
          studentId: caller.id,
          sendingInstitutionId: program.sendingInstitutionId,
          receivingInstitutionId: program.receivingInstitutionId,
          status: 'draft',
        })
        .orIgnore()
        .returning('id')
        .execute();
      const applicationId = (inserted.raw as { id: string }[])[0]?.id;
      if (!applicationId) throw ApplicationErrors.alreadyExists();
      await this.record(manager, { applicationId, action: 'create', fromStatus: null, toStatus: 'draft', actorId: caller.id, actorRole: caller.role, comment: null, reason: null });
      return applicationId;
    });
    return this.get(caller, id);
  }

  async list(caller: Caller, query: ListApplicationsQuery): Promise<Page<ApplicationView>> {
    if (caller.role === 'host_family') throw CommonErrors.forbidden();
    const page = await this.applications.listVisible(caller, query);
    const programIds = [...new Set(page.items.map((a) => a.programId))];
    const programs = programIds.length ? await this.dataSource.manager.find(Program, { where: { id: In(programIds) } }) : [];
    return {
      items: page.items.map((a) => applicationView(a, caller, partiesOf(caller, a), programs.find((p) => p.id === a.programId))),
      nextCursor: page.nextCursor,
    };
  }

  async get(caller: Caller, id: string): Promise<ApplicationView> {
    return this.view(caller, await this.visible(caller, id));
  }

  /** The student edits its own application while it is a draft. */
  async update(caller: Caller, id: string, dto: ApplicationFieldsDto): Promise<ApplicationView> {
    await this.dataSource.transaction(async (manager) => {
      const application = this.access.authorize(caller, 'application', 'edit', await this.applications.findById(id, manager, true));
      if (application.status !== 'draft') throw ApplicationErrors.notEditable(application.status);
      const fields = this.fields(dto);
      if (Object.keys(fields).length) await manager.update(Application, { id }, { ...fields, updatedAt: new Date() });
    });
    return this.get(caller, id);
  }

  /**
   * Every status change goes through here: the transition table decides (409 for a move
   * it does not have, 403 when it is not the caller's), the checks of the transition run,
   * a seat is taken under the programme's row lock, and the history entry is written in
   * the same transaction.
   */
  async transition(caller: Caller, id: string, name: TransitionName, dto: ApplicationTransitionDto): Promise<ApplicationView> {
    const application = await this.dataSource.transaction(async (manager) => {
      const current = await this.visible(caller, id, manager, true);
      const decision = decide(current.status, name, partiesOf(caller, current));
      if (!decision.ok) throw decision.error === 'forbidden' ? CommonErrors.forbidden() : ApplicationErrors.invalidTransition(current.status, name);
      const { transition } = decision;
      if (dto.arrivedAt !== undefined && name !== 'check-in') throw CommonErrors.invalidField('arrivedAt', 'whitelistValidation', 'is only for check-in');
      const reason = dto.reason?.trim() || null;
      if (transition.needsReason && !reason) throw ApplicationErrors.reasonRequired();

      const changes: Partial<Application> = { status: transition.to, updatedAt: new Date() };
      // Taking a seat locks the programme; a submission share-locks it (a cancellation waits, or is waited for).
      const lock = decision.takesSeat ? { lock: { mode: 'pessimistic_write' as const } } : name === 'submit' ? { lock: { mode: 'pessimistic_read' as const } } : {};
      const program = (await manager.findOne(Program, { where: { id: current.programId }, ...lock }))!;
      switch (name) {
        case 'submit':
          await this.checkSubmittable(manager, current, program);
          changes.submittedAt = new Date();
          break;
        case 'nominate':
          changes.nominatedAt = new Date();
          break;
        case 'accept':
          changes.acceptedAt = new Date();
          break;
        case 'confirm':
          if (program.requiresLearningAgreement) {
            // The application row is locked, and changes of the learning agreement take that lock first.
            const agreement = await manager.findOne(LearningAgreement, { where: { applicationId: id } });
            if (learningAgreementStatus(agreement) !== 'approved') throw ApplicationErrors.learningAgreementNotApproved();
          }
          break;
        case 'check-in': {
          const arrivedAt = dto.arrivedAt ? new Date(dto.arrivedAt) : new Date();
          if (arrivedAt.getTime() > Date.now() + ARRIVAL_SKEW_MS) throw ApplicationErrors.arrivalInFuture();
          changes.arrivedAt = arrivedAt;
          break;
        }
        default:
          break;
      }
      if (decision.takesSeat && (await this.applications.countSeatHolders(program.id, manager)) >= program.seats) throw ApplicationErrors.seatsExhausted();

      await manager.update(Application, { id }, changes);
      await this.record(manager, {
        applicationId: id,
        action: name,
        fromStatus: current.status as ApplicationStatus,
        toStatus: transition.to,
        actorId: caller.id,
        actorRole: caller.role,
        comment: dto.comment?.trim() || null,
        reason,
      });
      return (await this.applications.findById(id, manager))!;
    });
    return this.view(caller, application);
  }

  /** Window open now, and every required document type uploaded (422 naming the missing ones). */
  private async checkSubmittable(manager: EntityManager, application: Application, program: Program): Promise<void> {
    if (!isOpen(program)) throw ApplicationErrors.programNotOpen();
    if (!program.requiredDocuments.length) return;
    const present = (await manager
      .createQueryBuilder(Document, 'document')
      .select('DISTINCT document.type', 'type')
      .where('document.applicationId = :id', { id: application.id })
      .getRawMany()) as { type: string }[];
    const missing = program.requiredDocuments.filter((type) => !present.some((p) => p.type === type));
    if (missing.length) throw ApplicationErrors.documentsMissing(missing);
  }

  async history(caller: Caller, id: string): Promise<Page<HistoryEntryView>> {
    this.access.authorize(caller, 'application', 'read_history', await this.applications.findById(id));
    const entries = await this.applications.history(id);
    const full = caller.role !== 'host_school';
    return {
      items: entries.map((e) => ({
        id: e.id,
        action: e.action,
        from: e.fromStatus,
        to: e.toStatus,
        actorId: e.actorId,
        role: e.actorRole,
        comment: full ? e.comment : null,
        reason: full ? e.reason : null,
        at: e.createdAt.toISOString(),
      })),
      nextCursor: null,
    };
  }
}
