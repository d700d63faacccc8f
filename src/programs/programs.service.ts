import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Agreement } from '../agreements/agreement.entity.js';
import { agreementRules } from '../agreements/agreement.rules.js';
import { AgreementErrors } from '../agreements/agreements.errors.js';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { academicYearOf } from '../common/academic-year.js';
import { AccessPolicy } from '../common/access/access-policy.js';
import { CommonErrors, type FieldError } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { CreateProgramDto, ListProgramsQuery, ProgramView, UpdateProgramDto } from './dto/program.dto.js';
import { Program } from './program.entity.js';
import { ProgramHooks } from './program.hooks.js';
import { programView } from './program.view.js';
import { effectiveStatus, mayOpenPrograms, programPartiesOf, programRules } from './program.rules.js';
import { programLifecycle, type ProgramTransitionName } from './program.state-machine.js';
import { ProgramErrors } from './programs.errors.js';
import { ProgramsRepository } from './programs.repository.js';
import { AuditLog } from '../audit/audit-log.js';

interface Schedule {
  academicYear: string;
  startsOn: string;
  endsOn: string;
  applicationOpensAt: string;
  applicationClosesAt: string;
  seats: number;
}

@Injectable()
export class ProgramsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly programs: ProgramsRepository,
    private readonly agreements: AgreementsRepository,
    private readonly access: AccessPolicy,
    private readonly hooks: ProgramHooks,
  ) {}

  onModuleInit(): void {
    this.access.register(programRules);
  }

  /** Dates in order, inside the agreement, the window before the start. Pure apart from the agreement given. */
  private validateSchedule(schedule: Schedule, agreement: Agreement, checkYear = true): void {
    const errors: FieldError[] = [];
    if (schedule.startsOn >= schedule.endsOn) errors.push({ field: 'endsOn', key: 'after', message: 'must be after startsOn', params: { other: 'startsOn' } });
    if (schedule.startsOn < agreement.startsOn || schedule.startsOn > agreement.endsOn) {
      errors.push({ field: 'startsOn', key: 'notInside', message: `must lie within the agreement (${agreement.startsOn} to ${agreement.endsOn})`, params: { range: `${agreement.startsOn} – ${agreement.endsOn}` } });
    }
    if (schedule.endsOn > agreement.endsOn || schedule.endsOn < agreement.startsOn) {
      errors.push({ field: 'endsOn', key: 'notInside', message: `must lie within the agreement (${agreement.startsOn} to ${agreement.endsOn})`, params: { range: `${agreement.startsOn} – ${agreement.endsOn}` } });
    }
    if (checkYear && academicYearOf(schedule.startsOn) !== schedule.academicYear) {
      errors.push({ field: 'academicYear', key: 'academicYearOfStart', message: `must be the academic year of startsOn (${academicYearOf(schedule.startsOn)}): its seats count against that year's quota`, params: { year: academicYearOf(schedule.startsOn) } });
    }
    const opens = new Date(schedule.applicationOpensAt).getTime();
    const closes = new Date(schedule.applicationClosesAt).getTime();
    if (opens >= closes) errors.push({ field: 'applicationClosesAt', key: 'after', message: 'must be after applicationOpensAt', params: { other: 'applicationOpensAt' } });
    if (closes > new Date(`${schedule.startsOn}T00:00:00Z`).getTime()) errors.push({ field: 'applicationClosesAt', key: 'notAfter', message: 'must be before startsOn', params: { other: 'startsOn' } });
    if (errors.length) throw CommonErrors.validation(errors);
  }

  /**
   * The seats of all programmes of one agreement direction and year never exceed its quota.
   * Called with the agreement row locked, so concurrent creations queue up behind each other.
   */
  private async checkQuota(agreement: Agreement, program: { sendingInstitutionId: string; receivingInstitutionId: string; academicYear: string; seats: number }, exceptId?: string): Promise<void> {
    const quota = agreement.quotas!.find(
      (q) => q.fromInstitutionId === program.sendingInstitutionId && q.toInstitutionId === program.receivingInstitutionId && q.academicYear === program.academicYear,
    );
    const offered = await this.programs.offeredSeats({ agreementId: agreement.id, ...program }, exceptId);
    const remaining = Math.max(0, (quota?.seats ?? 0) - offered);
    if (program.seats > remaining) throw AgreementErrors.quotaExceeded(remaining);
  }

  async create(caller: Caller, dto: CreateProgramDto): Promise<ProgramView> {
    if (!mayOpenPrograms(caller)) throw CommonErrors.forbidden();
    const id = await this.tx.run(async () => {
      const agreement = await this.agreements.lock(dto.agreementId);
      if (!agreement || !agreementRules.canSee(caller, agreement)) throw ProgramErrors.unknownAgreement();
      if (agreement.status !== 'active') throw AgreementErrors.notActive();

      const partners = agreement.partners!.map((p) => p.institutionId);
      const errors: FieldError[] = [];
      for (const field of ['sendingInstitutionId', 'receivingInstitutionId'] as const) {
        if (!partners.includes(dto[field])) errors.push({ field, key: 'notPartner', message: 'must be a partner of the agreement' });
      }
      if (dto.sendingInstitutionId === dto.receivingInstitutionId) errors.push({ field: 'receivingInstitutionId', key: 'sameInstitution', message: 'must differ from sendingInstitutionId' });
      if (!programPartiesOf(caller, dto as Pick<Program, 'sendingInstitutionId' | 'receivingInstitutionId'> as Program).length) {
        errors.push({ field: 'sendingInstitutionId', key: 'notOwnSide', message: 'your institution must be the sending or the receiving one' });
      }
      if (errors.length) throw CommonErrors.validation(errors);
      this.validateSchedule(dto, agreement);
      await this.checkQuota(agreement, dto);

      const result = await this.tx.required.insert(Program, {
        agreementId: dto.agreementId,
        title: dto.title,
        description: dto.description ?? '',
        sendingInstitutionId: dto.sendingInstitutionId,
        receivingInstitutionId: dto.receivingInstitutionId,
        academicYear: dto.academicYear,
        startsOn: dto.startsOn,
        endsOn: dto.endsOn,
        applicationOpensAt: new Date(dto.applicationOpensAt),
        applicationClosesAt: new Date(dto.applicationClosesAt),
        seats: dto.seats,
        languageRequirement: dto.languageRequirement ?? null,
        requiredDocuments: dto.requiredDocuments ?? [],
        accommodation: dto.accommodation ?? 'none',
        requiresLearningAgreement: dto.requiresLearningAgreement ?? false,
        status: 'draft',
        createdBy: caller.id,
      });
      const programId = result.identifiers[0].id as string;
      await this.audit.record({
        action: 'program.create',
        targetType: 'program',
        targetId: programId,
        institutionIds: [dto.sendingInstitutionId, dto.receivingInstitutionId],
        toStatus: 'draft',
        details: { agreementId: dto.agreementId, seats: dto.seats },
      });
      return programId;
    });
    return programView((await this.programs.findById(id))!);
  }

  async list(caller: Caller, query: ListProgramsQuery): Promise<Page<ProgramView>> {
    const page = await this.programs.listVisible(caller, query);
    const now = new Date();
    return { items: page.items.map((p) => programView(p, now)), nextCursor: page.nextCursor };
  }

  async get(caller: Caller, id: string): Promise<ProgramView> {
    return programView(this.access.visible(caller, 'program', await this.programs.findById(id)));
  }

  async update(caller: Caller, id: string, dto: UpdateProgramDto): Promise<ProgramView> {
    await this.tx.run(async () => {
      const visible = this.access.authorize(caller, 'program', 'edit', await this.programs.findById(id));
      // Lock order: agreement first, then programme (as in create), so quota checks serialise.
      const agreement = (await this.agreements.lock(visible.agreementId))!;
      const program = (await this.programs.lock(id))!;
      // Closed and cancelled programmes are not edited; one closed by its window may be (seats
      // for a waitlisted student, say), but not reopened by moving the window.
      if (program.status === 'closed' || program.status === 'cancelled') throw ProgramErrors.invalidTransition(program.status);
      const windowPassed = effectiveStatus(program) === 'closed';
      const schedule: Schedule = {
        academicYear: dto.academicYear ?? program.academicYear,
        startsOn: dto.startsOn ?? program.startsOn,
        endsOn: dto.endsOn ?? program.endsOn,
        applicationOpensAt: dto.applicationOpensAt ?? program.applicationOpensAt.toISOString(),
        applicationClosesAt: dto.applicationClosesAt ?? program.applicationClosesAt.toISOString(),
        seats: dto.seats ?? program.seats,
      };
      if (windowPassed && new Date(schedule.applicationClosesAt).getTime() > Date.now()) throw ProgramErrors.invalidTransition('closed');
      // The year is checked against the start only when one of the two changes (older rows stay editable).
      this.validateSchedule(schedule, agreement, dto.academicYear !== undefined || dto.startsOn !== undefined);
      if (schedule.seats > program.seats || schedule.academicYear !== program.academicYear) {
        // More seats (or seats in another year) are taken from the quota: only while the agreement is active.
        if (agreement.status !== 'active') throw AgreementErrors.notActive();
        await this.checkQuota(agreement, { ...program, academicYear: schedule.academicYear, seats: schedule.seats }, program.id);
      }
      const changes: Partial<Program> = { updatedAt: new Date() };
      for (const field of ['title', 'description', 'academicYear', 'startsOn', 'endsOn', 'seats', 'requiredDocuments', 'accommodation', 'requiresLearningAgreement'] as const) {
        if (dto[field] !== undefined) (changes as Record<string, unknown>)[field] = dto[field];
      }
      if (dto.languageRequirement !== undefined) changes.languageRequirement = dto.languageRequirement;
      if (dto.applicationOpensAt) changes.applicationOpensAt = new Date(dto.applicationOpensAt);
      if (dto.applicationClosesAt) changes.applicationClosesAt = new Date(dto.applicationClosesAt);
      // Other domains' rules on the new terms (applications: never fewer seats than are held).
      const context = { caller, name: 'edit' as const, program, changes };
      await this.hooks.checkBefore('edit', context);
      await this.tx.required.update(Program, { id }, changes);
      await this.hooks.runAfter('edit', { ...context, updated: (await this.programs.findById(id))! });
    });
    return this.get(caller, id);
  }

  /** draft → published → closed, or cancelled: the lifecycle decides, then the preconditions registered for it. */
  async transition(caller: Caller, id: string, name: ProgramTransitionName): Promise<ProgramView> {
    await this.tx.run(async () => {
      const seen = this.access.visible(caller, 'program', await this.programs.findById(id));
      // Lock order as everywhere: the agreement, then the programme.
      const agreement = await this.agreements.lock(seen.agreementId);
      const program = (await this.programs.lock(id))!;
      const status = effectiveStatus(program);
      const decision = programLifecycle.decide(program.status, name, programPartiesOf(caller, program));
      if (!decision.ok && decision.error === 'forbidden') throw CommonErrors.forbidden();
      // A published programme whose window has passed may still be closed or cancelled, not published again.
      if (!decision.ok || (name === 'publish' && status !== 'draft')) throw ProgramErrors.invalidTransition(status);
      if (name === 'publish') {
        if (agreement?.status !== 'active') throw AgreementErrors.notActive();
        if (program.applicationClosesAt.getTime() <= Date.now()) throw CommonErrors.invalidField('applicationClosesAt', 'inThePast', 'is in the past');
      }
      const changes: Partial<Program> = { status: decision.transition.to, updatedAt: new Date() };
      // Other domains' rules (applications: no cancelling while applications are under way).
      const context = { caller, name, program, changes };
      await this.hooks.checkBefore(name, context);
      await this.tx.required.update(Program, { id }, changes);
      await this.hooks.runAfter(name, { ...context, updated: (await this.programs.findById(id))! });
    });
    return this.get(caller, id);
  }
}
