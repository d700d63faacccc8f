import { Injectable, type OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { AccessPolicy } from '../common/access/access-policy.js';
import { CommonErrors, type FieldError } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { Institution } from '../institutions/institution.entity.js';
import type { TransitionDto } from '../common/dto/transition.dto.js';
import { Agreement, AgreementApproval, AgreementPartner, AgreementQuota, AgreementVersion } from './agreement.entity.js';
import { AgreementHooks, type AgreementChange } from './agreement.hooks.js';
import { agreementVersionView, agreementView } from './agreement.view.js';
import { agreementListScope, agreementPartiesOf, agreementRules, approvingInstitution, mayProposeAgreements, mustIncludeOwnInstitution } from './agreement.rules.js';
import { agreementLifecycle, type AgreementTransitionName } from './agreement.state-machine.js';
import { validateAgreementTerms, type AgreementTerms } from './agreement.validation.js';
import { AgreementErrors } from './agreements.errors.js';
import { AgreementsRepository } from './agreements.repository.js';
import type { AgreementVersionView, AgreementView, ApproveAgreementDto, CreateAgreementDto, ListAgreementsQuery, UpdateAgreementDto } from './dto/agreement.dto.js';

@Injectable()
export class AgreementsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly agreements: AgreementsRepository,
    private readonly access: AccessPolicy,
    private readonly hooks: AgreementHooks,
  ) {}

  onModuleInit(): void {
    this.access.register(agreementRules);
  }

  /** Field rules, plus partners that exist and, for a coordinator, include its own institution. */
  private async validate(caller: Caller, terms: AgreementTerms): Promise<void> {
    const errors = validateAgreementTerms(terms);
    const known = await this.tx.manager.find(Institution, { where: { id: In(terms.partnerInstitutionIds) }, select: { id: true } });
    terms.partnerInstitutionIds.forEach((id, i) => {
      if (!known.some((k) => k.id === id)) errors.push({ field: `partnerInstitutionIds[${i}]`, key: 'unknownInstitution', message: 'is not a known institution' });
    });
    const own = mustIncludeOwnInstitution(caller);
    if (own && !terms.partnerInstitutionIds.includes(own)) {
      errors.push({ field: 'partnerInstitutionIds', key: 'mustIncludeOwn', message: 'must include your institution' });
    }
    if (errors.length) throw AgreementErrors.invalid(errors);
  }

  private async writeMembers(agreementId: string, terms: Partial<AgreementTerms>): Promise<void> {
    const manager = this.tx.required;
    if (terms.partnerInstitutionIds) {
      await manager.delete(AgreementPartner, { agreementId });
      await manager.insert(
        AgreementPartner,
        terms.partnerInstitutionIds.map((institutionId, position) => ({ agreementId, institutionId, position })),
      );
    }
    if (terms.quotas) {
      await manager.delete(AgreementQuota, { agreementId });
      if (terms.quotas.length) await manager.insert(AgreementQuota, terms.quotas.map((quota) => ({ ...quota, agreementId })));
    }
  }

  async create(caller: Caller, dto: CreateAgreementDto): Promise<AgreementView> {
    if (!mayProposeAgreements(caller)) throw CommonErrors.forbidden();
    const id = await this.tx.run(async () => {
      await this.validate(caller, dto);
      const result = await this.tx.required.insert(Agreement, { title: dto.title, startsOn: dto.startsOn, endsOn: dto.endsOn, createdBy: caller.id, status: 'draft', version: 1 });
      const agreementId = result.identifiers[0].id as string;
      await this.writeMembers(agreementId, dto);
      // No preconditions: a proposal changes nothing other domains guard; handlers (notifications) follow in its transaction.
      const created = (await this.agreements.findWithDetails(agreementId))!;
      await this.hooks.runAfter('propose', { caller, name: 'propose', agreement: created, updated: created });
      return agreementId;
    });
    return agreementView((await this.agreements.findWithDetails(id))!);
  }

  async list(caller: Caller, query: ListAgreementsQuery): Promise<Page<AgreementView>> {
    const scope = agreementListScope(caller);
    if (scope === 'none') return { items: [], nextCursor: null };
    if (scope.institutionId && query.institutionId && query.institutionId !== scope.institutionId) return { items: [], nextCursor: null };
    const institutionId = scope.institutionId ?? query.institutionId ?? null;
    const page = await this.agreements.listPage({ institutionId, status: query.status }, query);
    return { items: page.items.map(agreementView), nextCursor: page.nextCursor };
  }

  async get(caller: Caller, id: string): Promise<AgreementView> {
    return agreementView(this.access.visible(caller, 'agreement', await this.agreements.findWithDetails(id)));
  }

  /**
   * Edits the terms. Once any partner has approved, an edit is a new version: the current
   * one is archived with its approvals, the approvals are cleared and the agreement is a
   * draft again until every partner approves the new terms.
   */
  async update(caller: Caller, id: string, dto: UpdateAgreementDto): Promise<AgreementView> {
    await this.tx.run(async () => {
      const agreement = this.access.authorize(caller, 'agreement', 'edit', await this.agreements.lock(id));
      if (agreement.status === 'terminated') throw AgreementErrors.invalidTransition(agreement.status);
      const manager = this.tx.required;
      const current = agreementView(agreement);
      const terms: AgreementTerms = {
        partnerInstitutionIds: dto.partnerInstitutionIds ?? current.partnerInstitutionIds,
        startsOn: dto.startsOn ?? current.startsOn,
        endsOn: dto.endsOn ?? current.endsOn,
        quotas: dto.quotas ?? current.quotas,
      };
      await this.validate(caller, terms);
      await this.checkPrograms(agreement.id, terms);

      const sameQuotas = (a: AgreementTerms['quotas'], b: AgreementTerms['quotas']) => {
        const key = (q: AgreementTerms['quotas'][number]) => `${q.fromInstitutionId}>${q.toInstitutionId}@${q.academicYear}=${q.seats}`;
        return a.length === b.length && a.map(key).sort().join() === b.map(key).sort().join();
      };
      const unchanged =
        (dto.title === undefined || dto.title === current.title) &&
        terms.partnerInstitutionIds.join() === current.partnerInstitutionIds.join() &&
        terms.startsOn === current.startsOn &&
        terms.endsOn === current.endsOn &&
        sameQuotas(terms.quotas, current.quotas);
      // An edit that changes nothing is no new version and keeps the approvals.
      if (unchanged) return;
      // Other domains' rules on the new terms, before anything is written.
      await this.hooks.checkBefore('edit', { caller, name: 'edit', agreement });

      const changes: Partial<Agreement> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.startsOn !== undefined) changes.startsOn = dto.startsOn;
      if (dto.endsOn !== undefined) changes.endsOn = dto.endsOn;
      if (current.approvals.length) {
        await manager.insert(AgreementVersion, {
          agreementId: agreement.id,
          version: agreement.version,
          snapshot: current as never, // jsonb: the view as it stood
          supersededAt: new Date(),
          supersededBy: caller.id,
        });
        await manager.delete(AgreementApproval, { agreementId: agreement.id });
        changes.version = agreement.version + 1;
        changes.status = 'draft';
      }
      await manager.update(Agreement, { id: agreement.id }, { ...changes, updatedAt: new Date() });
      await this.writeMembers(agreement.id, dto);
      await this.hooks.runAfter('edit', { caller, name: 'edit', agreement, updated: (await this.agreements.findWithDetails(id))! });
    });
    return this.get(caller, id);
  }

  /** Programmes already offered must still fit: partners, dates and quotas. */
  private async checkPrograms(agreementId: string, terms: AgreementTerms): Promise<void> {
    const errors: FieldError[] = [];
    for (const offered of await this.agreements.offeredSeats(agreementId)) {
      const quota = terms.quotas.find(
        (q) => q.fromInstitutionId === offered.sendingInstitutionId && q.toInstitutionId === offered.receivingInstitutionId && q.academicYear === offered.academicYear,
      );
      if (!quota || quota.seats < offered.seats) {
        const index = quota ? terms.quotas.indexOf(quota) : -1;
        errors.push({
          field: index >= 0 ? `quotas[${index}].seats` : 'quotas',
          key: 'programmesOffer',
          message: `programmes already offer ${offered.seats} seats from ${offered.sendingInstitutionId} to ${offered.receivingInstitutionId} in ${offered.academicYear}`,
          params: { seats: offered.seats, from: offered.sendingInstitutionId, to: offered.receivingInstitutionId, year: offered.academicYear },
        });
      }
    }
    const span = await this.agreements.programSpan(agreementId);
    if (span.startsOn && span.startsOn < terms.startsOn) errors.push({ field: 'startsOn', key: 'programStartsOn', message: `a programme starts on ${span.startsOn}`, params: { date: span.startsOn } });
    if (span.endsOn && span.endsOn > terms.endsOn) errors.push({ field: 'endsOn', key: 'programEndsOn', message: `a programme ends on ${span.endsOn}`, params: { date: span.endsOn } });
    if (errors.length) throw AgreementErrors.conflictsWithPrograms(errors);
  }

  /**
   * One way for the agreement's transitions, under the agreement's row lock: the lifecycle
   * decides (403 for a caller who never takes it, 409 from a status it does not leave), the
   * reason is required where the table says so, the transition's own checks run
   * (`prepare`), then the preconditions other domains registered, the change, and the
   * handlers.
   */
  private async transition<P>(
    caller: Caller,
    id: string,
    name: AgreementTransitionName,
    dto: { reason?: string },
    prepare: (agreement: Agreement) => P,
    change: (agreement: Agreement, prepared: P, reason: string | null) => Promise<void>,
  ): Promise<AgreementView> {
    await this.tx.run(async () => {
      const agreement = this.access.visible(caller, 'agreement', await this.agreements.lock(id));
      const decision = agreementLifecycle.decide(agreement.status, name, agreementPartiesOf(caller, agreement));
      if (!decision.ok) throw decision.error === 'forbidden' ? CommonErrors.forbidden() : AgreementErrors.invalidTransition(agreement.status);
      const reason = dto.reason?.trim() || null;
      if (decision.transition.needsReason && !reason) throw CommonErrors.reasonRequired();
      const prepared = prepare(agreement);
      const context = { caller, name: name as AgreementChange, agreement };
      await this.hooks.checkBefore(name, context);
      await change(agreement, prepared, reason);
      await this.hooks.runAfter(name, { ...context, updated: (await this.agreements.findWithDetails(id))! });
    });
    return this.get(caller, id);
  }

  /** A partner's approval of the current version; the last missing one makes the agreement active. */
  approve(caller: Caller, id: string, dto: ApproveAgreementDto): Promise<AgreementView> {
    return this.transition(
      caller,
      id,
      'approve',
      {},
      (agreement) => {
        const approving = approvingInstitution(caller, dto.institutionId);
        if (approving === 'required') throw CommonErrors.invalidField('institutionId', 'required', 'is required: the partner on whose behalf you approve');
        if (approving === 'forbidden') throw CommonErrors.forbidden();
        const partners = agreement.partners!.map((p) => p.institutionId);
        if (!partners.includes(approving.institutionId)) throw CommonErrors.invalidField('institutionId', 'notPartner', 'must be a partner of the agreement');
        if (agreement.approvals!.some((a) => a.institutionId === approving.institutionId)) throw AgreementErrors.alreadyApproved();
        return { institutionId: approving.institutionId, partners };
      },
      async (agreement, { institutionId, partners }) => {
        const manager = this.tx.required;
        await manager.insert(AgreementApproval, { agreementId: id, institutionId, approvedBy: caller.id, approvedAt: new Date(), comment: dto.comment ?? null });
        const approved = new Set([...agreement.approvals!.map((a) => a.institutionId), institutionId]);
        // Until the last partner approves, the agreement stays a draft.
        const complete = partners.every((p) => approved.has(p));
        await manager.update(Agreement, { id }, { updatedAt: new Date(), ...(complete ? { status: 'active' as const } : {}) });
      },
    );
  }

  terminate(caller: Caller, id: string, dto: TransitionDto): Promise<AgreementView> {
    return this.transition(caller, id, 'terminate', dto, () => undefined, async (_agreement, _prepared, reason) => {
      await this.tx.required.update(Agreement, { id }, { status: 'terminated', terminatedAt: new Date(), terminatedBy: caller.id, terminationReason: reason, updatedAt: new Date() });
    });
  }

  /** Every version, oldest first; the last is the current one. */
  async versions(caller: Caller, id: string): Promise<Page<AgreementVersionView>> {
    const current = await this.get(caller, id);
    const archived = await this.agreements.versions(id);
    const items: AgreementVersionView[] = archived.map(agreementVersionView);
    items.push({ ...current, supersededAt: null, supersededBy: null });
    return { items, nextCursor: null };
  }
}
