import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AccessPolicy } from '../common/access/access-policy.js';
import { CommonErrors, type FieldError } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { Institution } from '../institutions/institution.entity.js';
import type { TransitionDto } from '../common/dto/transition.dto.js';
import { Agreement, AgreementApproval, AgreementPartner, AgreementQuota, AgreementVersion } from './agreement.entity.js';
import { agreementRules } from './agreement.rules.js';
import { validateAgreementTerms, type AgreementTerms } from './agreement.validation.js';
import { AgreementErrors } from './agreements.errors.js';
import { AgreementsRepository } from './agreements.repository.js';
import type { AgreementVersionView, AgreementView, ApproveAgreementDto, CreateAgreementDto, ListAgreementsQuery, UpdateAgreementDto } from './dto/agreement.dto.js';

export function agreementView(agreement: Agreement): AgreementView {
  const partners = (agreement.partners ?? []).map((p) => p.institutionId);
  const approvals = agreement.approvals ?? [];
  return {
    id: agreement.id,
    title: agreement.title,
    status: agreement.status,
    partnerInstitutionIds: partners,
    startsOn: agreement.startsOn,
    endsOn: agreement.endsOn,
    quotas: (agreement.quotas ?? []).map(({ fromInstitutionId, toInstitutionId, academicYear, seats }) => ({ fromInstitutionId, toInstitutionId, academicYear, seats })),
    approvals: approvals.map((a) => ({ institutionId: a.institutionId, approvedBy: a.approvedBy, approvedAt: a.approvedAt.toISOString(), comment: a.comment })),
    awaitingApprovalFrom: partners.filter((id) => !approvals.some((a) => a.institutionId === id)),
    version: agreement.version,
    createdBy: agreement.createdBy,
    terminatedAt: agreement.terminatedAt?.toISOString() ?? null,
    terminatedBy: agreement.terminatedBy,
    terminationReason: agreement.terminationReason,
    createdAt: agreement.createdAt.toISOString(),
    updatedAt: agreement.updatedAt.toISOString(),
  };
}

@Injectable()
export class AgreementsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agreements: AgreementsRepository,
    private readonly access: AccessPolicy,
  ) {}

  onModuleInit(): void {
    this.access.register(agreementRules);
  }

  /** Field rules, plus partners that exist and, for a coordinator, include its own institution. */
  private async validate(caller: Caller, terms: AgreementTerms, manager: EntityManager): Promise<void> {
    const errors = validateAgreementTerms(terms);
    const known = await manager.find(Institution, { where: { id: In(terms.partnerInstitutionIds) }, select: { id: true } });
    terms.partnerInstitutionIds.forEach((id, i) => {
      if (!known.some((k) => k.id === id)) errors.push({ field: `partnerInstitutionIds[${i}]`, key: 'unknownInstitution', message: 'is not a known institution' });
    });
    if (caller.role === 'coordinator' && !terms.partnerInstitutionIds.includes(caller.institutionId!)) {
      errors.push({ field: 'partnerInstitutionIds', key: 'mustIncludeOwn', message: 'must include your institution' });
    }
    if (errors.length) throw AgreementErrors.invalid(errors);
  }

  private async writeMembers(manager: EntityManager, agreementId: string, terms: Partial<AgreementTerms>): Promise<void> {
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
    if (caller.role !== 'admin' && caller.role !== 'coordinator') throw CommonErrors.forbidden();
    const id = await this.dataSource.transaction(async (manager) => {
      await this.validate(caller, dto, manager);
      const result = await manager.insert(Agreement, { title: dto.title, startsOn: dto.startsOn, endsOn: dto.endsOn, createdBy: caller.id, status: 'draft', version: 1 });
      const agreementId = result.identifiers[0].id as string;
      await this.writeMembers(manager, agreementId, dto);
      return agreementId;
    });
    return agreementView((await this.agreements.findWithDetails(id))!);
  }

  async list(caller: Caller, query: ListAgreementsQuery): Promise<Page<AgreementView>> {
    if (caller.role !== 'admin' && caller.role !== 'coordinator') throw CommonErrors.forbidden();
    let institutionId = query.institutionId ?? null;
    if (caller.role === 'coordinator') {
      if (institutionId && institutionId !== caller.institutionId) return { items: [], nextCursor: null };
      institutionId = caller.institutionId;
    }
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
    await this.dataSource.transaction(async (manager) => {
      const agreement = this.access.authorize(caller, 'agreement', 'edit', await this.agreements.findWithDetails(id, manager, true));
      if (agreement.status === 'terminated') throw AgreementErrors.invalidTransition(agreement.status);
      const current = agreementView(agreement);
      const terms: AgreementTerms = {
        partnerInstitutionIds: dto.partnerInstitutionIds ?? current.partnerInstitutionIds,
        startsOn: dto.startsOn ?? current.startsOn,
        endsOn: dto.endsOn ?? current.endsOn,
        quotas: dto.quotas ?? current.quotas,
      };
      await this.validate(caller, terms, manager);
      await this.checkPrograms(agreement.id, terms, manager);

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
      await this.writeMembers(manager, agreement.id, dto);
    });
    return this.get(caller, id);
  }

  /** Programmes already offered must still fit: partners, dates and quotas. */
  private async checkPrograms(agreementId: string, terms: AgreementTerms, manager: EntityManager): Promise<void> {
    const errors: FieldError[] = [];
    for (const offered of await this.agreements.offeredSeats(agreementId, manager)) {
      const quota = terms.quotas.find(
        (q) => q.fromInstitutionId === offered.sendingInstitutionId && q.toInstitutionId === offered.receivingInstitutionId && q.academicYear === offered.academicYear,
      );
      if (!quota || quota.seats < offered.seats) {
        const index = quota ? terms.quotas.indexOf(quota) : -1;
        errors.push({
          field: index >= 0 ? `quotas[${index}].seats` : 'quotas',
          key: null,
          message: `programmes already offer ${offered.seats} seats from ${offered.sendingInstitutionId} to ${offered.receivingInstitutionId} in ${offered.academicYear}`,
        });
      }
    }
    const span = await this.agreements.programSpan(agreementId, manager);
    if (span.startsOn && span.startsOn < terms.startsOn) errors.push({ field: 'startsOn', key: null, message: `a programme starts on ${span.startsOn}` });
    if (span.endsOn && span.endsOn > terms.endsOn) errors.push({ field: 'endsOn', key: null, message: `a programme ends on ${span.endsOn}` });
    if (errors.length) throw AgreementErrors.conflictsWithPrograms(errors);
  }

  /** A partner's approval of the current version; the last missing one makes the agreement active. */
  async approve(caller: Caller, id: string, dto: ApproveAgreementDto): Promise<AgreementView> {
    await this.dataSource.transaction(async (manager) => {
      const agreement = this.access.authorize(caller, 'agreement', 'approve', await this.agreements.findWithDetails(id, manager, true));
      let institutionId: string;
      if (caller.role === 'admin') {
        if (!dto.institutionId) throw CommonErrors.invalidField('institutionId', 'required', 'is required: the partner on whose behalf you approve');
        institutionId = dto.institutionId;
      } else {
        if (dto.institutionId && dto.institutionId !== caller.institutionId) throw CommonErrors.forbidden();
        institutionId = caller.institutionId!;
      }
      const partners = agreement.partners!.map((p) => p.institutionId);
      if (!partners.includes(institutionId)) throw CommonErrors.invalidField('institutionId', 'notPartner', 'must be a partner of the agreement');
      if (agreement.status === 'terminated') throw AgreementErrors.invalidTransition(agreement.status);
      if (agreement.approvals!.some((a) => a.institutionId === institutionId)) throw AgreementErrors.alreadyApproved();

      await manager.insert(AgreementApproval, { agreementId: id, institutionId, approvedBy: caller.id, approvedAt: new Date(), comment: dto.comment ?? null });
      const approved = new Set([...agreement.approvals!.map((a) => a.institutionId), institutionId]);
      const complete = partners.every((p) => approved.has(p));
      await manager.update(Agreement, { id }, { updatedAt: new Date(), ...(complete ? { status: 'active' as const } : {}) });
    });
    return this.get(caller, id);
  }

  async terminate(caller: Caller, id: string, dto: TransitionDto): Promise<AgreementView> {
    await this.dataSource.transaction(async (manager) => {
      const agreement = this.access.authorize(caller, 'agreement', 'terminate', await this.agreements.findWithDetails(id, manager, true));
      if (!dto.reason) throw CommonErrors.invalidField('reason', 'required', 'is required');
      if (agreement.status === 'terminated') throw AgreementErrors.invalidTransition(agreement.status);
      await manager.update(Agreement, { id }, { status: 'terminated', terminatedAt: new Date(), terminatedBy: caller.id, terminationReason: dto.reason, updatedAt: new Date() });
    });
    return this.get(caller, id);
  }

  /** Every version, oldest first; the last is the current one. */
  async versions(caller: Caller, id: string): Promise<Page<AgreementVersionView>> {
    const current = await this.get(caller, id);
    const archived = await this.agreements.versions(id);
    const items: AgreementVersionView[] = archived.map((v) => ({
      ...(v.snapshot as unknown as AgreementView),
      version: v.version,
      supersededAt: v.supersededAt.toISOString(),
      supersededBy: v.supersededBy,
    }));
    items.push({ ...current, supersededAt: null, supersededBy: null });
    return { items, nextCursor: null };
  }
}
