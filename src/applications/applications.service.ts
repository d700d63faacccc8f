import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccessPolicy } from '../common/access/access-policy.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { RowLocks } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { ProgramHooks } from '../programs/program.hooks.js';
import type { ProgramView } from '../programs/dto/program.dto.js';
import { effectiveStatus, isOpen, programRules } from '../programs/program.rules.js';
import { programView } from '../programs/program.view.js';
import { ProgramErrors } from '../programs/programs.errors.js';
import { ProgramsRepository } from '../programs/programs.repository.js';
import { ApplicationDetails } from './application.details.js';
import { Application, type ApplicationStatus } from './application.entity.js';
import { ApplicationHooks, type ApplicationTransitionContext } from './application.hooks.js';
import { applicationRules, institutionsSeeing, mayApply, partiesOf, seesPrivateFields } from './application.rules.js';
import { decide, programLockOf, type TransitionName } from './application.state-machine.js';
import { applicationView, historyEntryView } from './application.view.js';
import { ApplicationErrors } from './applications.errors.js';
import { ApplicationsRepository, type ApplicationRead, type ProgramStay } from './applications.repository.js';
import type { ApplicationFieldsDto, ApplicationTransitionDto, ApplicationView, CreateApplicationDto, HistoryEntryView, ListApplicationsQuery } from './dto/application.dto.js';
import { AuditLog } from '../audit/audit-log.js';

/** Mass applying is a known abuse: at most this many applications not in a final state. */
export const MAX_OPEN_APPLICATIONS = 5;
/** Clock skew tolerated on a check-in time. */
const ARRIVAL_SKEW_MS = 60_000;

@Injectable()
export class ApplicationsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly locks: RowLocks,
    private readonly applications: ApplicationsRepository,
    private readonly programs: ProgramsRepository,
    private readonly access: AccessPolicy,
    private readonly hooks: ApplicationHooks,
    private readonly programHooks: ProgramHooks,
    private readonly details: ApplicationDetails,
  ) {}

  onModuleInit(): void {
    this.access.register(applicationRules);
    // Every transition writes its history entry, in its transaction.
    this.hooks.onTransition('*', 'applications.history', ({ caller, name, application, updated, comment, reason }) =>
      this.applications.insertHistory({ applicationId: application.id, action: name, fromStatus: application.status, toStatus: updated.status, actorId: caller.id, actorRole: caller.role, comment, reason }),
    );
    // The programme's seats belong to the applications that hold them.
    this.programHooks.precondition('cancel', 'applications', async ({ program }) => {
      if ((await this.applications.countLive(program.id)) > 0) throw ProgramErrors.hasLiveApplications();
    });
    this.programHooks.precondition('edit', 'applications', async ({ program, changes }) => {
      if (changes.seats === undefined || changes.seats >= program.seats) return;
      // Never below the seats already held: accept counts them under the same programme row lock.
      const held = await this.applications.countSeatHolders(program.id);
      if (changes.seats < held) throw CommonErrors.invalidField('seats', 'min', `must be at least ${held}: that many seats are already taken`, { min: held });
    });
  }

  /** Loads an application the caller may see (404 otherwise). */
  async visible(caller: Caller, id: string): Promise<Application> {
    return this.access.visible(caller, 'application', await this.applications.findById(id));
  }

  /** An application the caller may see (404 otherwise), with its programme's stay: one statement. */
  async visibleWithStay(caller: Caller, id: string): Promise<{ application: Application; stay: ProgramStay }> {
    const found = await this.applications.findWithStay(id);
    this.access.visible(caller, 'application', found?.application);
    return found!;
  }

  /** Inside the caller's transaction: the application's row lock, for a change that must not race its transitions. */
  async lockVisible(caller: Caller, id: string): Promise<Application> {
    return this.access.visible(caller, 'application', await this.applications.lock(id));
  }

  /** The answer of an application read with its parts (ApplicationsRepository.findForAnswer, listVisible). */
  private answer(caller: Caller, read: ApplicationRead): ApplicationView {
    const view = applicationView(read, read.studentName ?? '', caller, partiesOf(caller, read), { languageRequirement: read.languageRequirement });
    return { ...view, ...this.details.read(caller, read, read) };
  }

  /** The answer of an application the caller has just changed (and sees), read again with its parts. */
  private async view(caller: Caller, application: Application): Promise<ApplicationView> {
    return this.answer(caller, (await this.applications.findForAnswer(application.id))!);
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

  /** A draft application by a student (the route admits students only) to a published programme of its home institution. */
  async create(caller: Caller, dto: CreateApplicationDto): Promise<ApplicationView> {
    if (!mayApply(caller)) throw CommonErrors.forbidden();
    const id = await this.tx.run(async () => {
      // One creation at a time per student, so that the open-applications limit holds.
      await this.locks.lock('user', 'User', caller.id);
      // Shared lock: a programme being cancelled (which takes it exclusively) waits for this creation, or refuses it.
      const program = await this.programs.lock(dto.programId, 'share');
      if (!program || !programRules.canSee(caller, program) || effectiveStatus(program) !== 'published') throw ApplicationErrors.unknownProgram();
      if ((await this.applications.countOpenOf(caller.id)) >= MAX_OPEN_APPLICATIONS) throw ApplicationErrors.tooManyOpen(MAX_OPEN_APPLICATIONS);
      const inserted = await this.tx.required
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
      await this.applications.insertHistory({ applicationId, action: 'create', fromStatus: null, toStatus: 'draft', actorId: caller.id, actorRole: caller.role, comment: null, reason: null });
      await this.audit.record({
        action: 'application.create',
        targetType: 'application',
        targetId: applicationId,
        // A draft is its student's alone: no coordinator reads this entry (admins do).
        institutionIds: [],
        toStatus: 'draft',
        details: { programId: program.id },
      });
      return applicationId;
    });
    return this.get(caller, id);
  }

  /** One statement: the page, with its students' names, programmes' requirements and the other domains' parts. */
  async list(caller: Caller, query: ListApplicationsQuery): Promise<Page<ApplicationView>> {
    const page = await this.applications.listVisible(caller, query);
    return { items: page.items.map((read) => this.answer(caller, read)), nextCursor: page.nextCursor };
  }

  /** How many applications the caller sees in these statuses (a queue's count: `list`'s scope and filters, without reading the rows). */
  count(caller: Caller, query: { direction?: 'incoming' | 'outgoing'; statuses: readonly ApplicationStatus[]; programId?: string }): Promise<number> {
    return this.applications.countVisible(caller, query);
  }

  /** One statement: the application with everything its answer shows, then the access check on that row. */
  async get(caller: Caller, id: string): Promise<ApplicationView> {
    const read = await this.applications.findForAnswer(id);
    // The row carries every column the rules read (the scope's and the parties'), not the expected arrival they never read.
    this.access.visible(caller, 'application', read as Application | null);
    return this.answer(caller, read!);
  }

  /**
   * The programme of an application the caller sees (404 otherwise). A student reads the
   * programme it applied to even once its window has closed, when the programme itself is
   * no longer in the student's scope.
   */
  async programOf(caller: Caller, applicationId: string): Promise<ProgramView> {
    const application = await this.visible(caller, applicationId);
    return programView((await this.programs.findById(application.programId))!);
  }

  /**
   * Seats not yet held (accepted, confirmed, arrived, completed) of programmes the caller
   * sees, by programme id: what a student reads on the programmes open to it. A programme
   * out of the caller's scope is 404, as it would be on its own.
   */
  async seatsLeft(caller: Caller, programIds: readonly string[]): Promise<Map<string, number>> {
    const left = new Map<string, number>();
    for (const id of new Set(programIds)) {
      const program = this.access.visible(caller, 'program', await this.programs.findById(id));
      left.set(id, Math.max(0, program.seats - (await this.applications.countSeatHolders(id))));
    }
    return left;
  }

  /** The student edits its own application while it is a draft. */
  async update(caller: Caller, id: string, dto: ApplicationFieldsDto): Promise<ApplicationView> {
    await this.tx.run(async () => {
      const application = this.access.authorize(caller, 'application', 'edit', await this.applications.lock(id));
      if (application.status !== 'draft') throw ApplicationErrors.notEditable(application.status);
      const fields = this.fields(dto);
      if (!Object.keys(fields).length) return;
      await this.tx.required.update(Application, { id }, { ...fields, updatedAt: new Date() });
      await this.audit.record({
        action: 'application.edit',
        targetType: 'application',
        targetId: id,
        institutionIds: institutionsSeeing(application),
        fromStatus: 'draft',
        toStatus: 'draft',
        details: { fields: Object.keys(fields).sort() },
      });
    });
    return this.get(caller, id);
  }

  /**
   * Every status change goes through here, in one transaction: the programme is locked as
   * the transition needs, then the application; the transition table decides (403 for a
   * caller who never takes it, 409 from a status it does not leave); the application's own
   * checks and the preconditions other modules registered run; the status changes; the
   * handlers (history, and whatever other modules registered) follow.
   */
  async transition(caller: Caller, id: string, name: TransitionName, dto: ApplicationTransitionDto): Promise<ApplicationView> {
    const application = await this.tx.run(async () => {
      // Lock order: programme before application. Its mode follows from the transition's name alone.
      const seen = await this.visible(caller, id);
      const programLock = programLockOf(name);
      const program = programLock ? (await this.programs.lock(seen.programId, programLock))! : (await this.programs.findById(seen.programId))!;
      const current = await this.lockVisible(caller, id);

      const decision = decide(current.status, name, partiesOf(caller, current));
      if (!decision.ok) throw decision.error === 'forbidden' ? CommonErrors.forbidden() : ApplicationErrors.invalidTransition(current.status, name);
      const { transition } = decision;
      if (dto.arrivedAt !== undefined && name !== 'check-in') throw CommonErrors.invalidField('arrivedAt', 'whitelistValidation', 'is only for check-in');
      const reason = dto.reason?.trim() || null;
      if (transition.needsReason && !reason) throw CommonErrors.reasonRequired();

      const changes: Partial<Application> = { status: transition.to, updatedAt: new Date() };
      switch (name) {
        case 'submit':
          if (!isOpen(program)) throw ProgramErrors.notOpen();
          changes.submittedAt = new Date();
          break;
        case 'nominate':
          changes.nominatedAt = new Date();
          break;
        case 'accept':
          changes.acceptedAt = new Date();
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
      const context: ApplicationTransitionContext = { caller, name, transition, application: current, program, changes, comment: dto.comment?.trim() || null, reason };
      await this.hooks.checkBefore(name, context);
      if (decision.takesSeat) {
        if (programLock !== 'write') throw new Error(`${name} takes a seat without the programme's write lock`);
        if ((await this.applications.countSeatHolders(program.id)) >= program.seats) throw ProgramErrors.seatsExhausted();
      }

      await this.tx.required.update(Application, { id }, changes);
      const updated = (await this.applications.findById(id))!;
      await this.hooks.runAfter(name, { ...context, updated });
      return updated;
    });
    return this.view(caller, application);
  }

  async history(caller: Caller, id: string): Promise<Page<HistoryEntryView>> {
    this.access.authorize(caller, 'application', 'read_history', await this.applications.findById(id));
    const entries = await this.details.visibleHistory(caller, await this.applications.history(id));
    return { items: entries.map((entry) => historyEntryView(entry, seesPrivateFields(caller))), nextCursor: null };
  }
}
