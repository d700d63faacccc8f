import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccessPolicy } from '../common/access/access-policy.js';
import { todayUtc } from '../common/calendar.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { Institution } from '../institutions/institution.entity.js';
import { ownInstitutionOf } from '../users/user.rules.js';
import { UserErrors } from '../users/users.errors.js';
import type { CreateHostFamilyDto, HostFamilyView, ListHostFamiliesQuery, UpdateHostFamilyDto, VetHostFamilyDto } from './dto/host-family.dto.js';
import { HostFamily, HostFamilyVetting } from './host-family.entity.js';
import { HostFamilyHooks, type HostFamilyChangeContext } from './host-family.hooks.js';
import { FAMILY_EDITABLE, familyPartiesOf, hostFamilyRules, mayManageFamilies, singular, vettingExpiry } from './host-family.rules.js';
import { hostFamilyLifecycle, type HostFamilyTransitionName } from './host-family.state-machine.js';
import { hostFamilyView } from './host-family.view.js';
import { HostFamilyErrors as Errors } from './host-families.errors.js';
import { HostFamiliesRepository } from './host-families.repository.js';
import { AuditLog } from '../audit/audit-log.js';

type FamilyFields = Omit<Partial<HostFamily>, 'id' | 'institutionId' | 'status' | 'vettingExpiresOn' | 'suspensionReason' | 'createdAt' | 'updatedAt' | 'institution'>;

/** The fields of a body, copied one by one (never the body itself: nothing unexpected is written). */
function fieldsOf(dto: UpdateHostFamilyDto): FamilyFields {
  const fields: FamilyFields = {};
  if (dto.displayName !== undefined) fields.displayName = dto.displayName;
  if (dto.contactEmail !== undefined) fields.contactEmail = dto.contactEmail;
  if (dto.contactPhone !== undefined) fields.contactPhone = dto.contactPhone;
  if (dto.address !== undefined) fields.address = { line1: dto.address.line1, city: dto.address.city, postalCode: dto.address.postalCode, country: dto.address.country };
  if (dto.capacity !== undefined) fields.capacity = dto.capacity;
  if (dto.languages !== undefined) fields.languages = [...dto.languages];
  if (dto.hasPets !== undefined) fields.hasPets = dto.hasPets;
  if (dto.petTypes !== undefined) fields.petTypes = [...new Set(dto.petTypes.map(singular))];
  if (dto.smokingHousehold !== undefined) fields.smokingHousehold = dto.smokingHousehold;
  if (dto.dietsSupported !== undefined) fields.dietsSupported = [...new Set(dto.dietsSupported)];
  if (dto.acceptsMinors !== undefined) fields.acceptsMinors = dto.acceptsMinors;
  if (dto.genderPreference !== undefined) fields.genderPreference = dto.genderPreference;
  if (dto.availableFrom !== undefined) fields.availableFrom = dto.availableFrom;
  if (dto.availableTo !== undefined) fields.availableTo = dto.availableTo;
  if (dto.commuteMinutes !== undefined) fields.commuteMinutes = dto.commuteMinutes;
  return fields;
}

/**
 * The registry of host families: coordinators of the managing institution create, edit,
 * vet and suspend them; its host-school staff read them; a family's own users read their
 * record and change its availability and capacity. Everyone else: 404.
 */
@Injectable()
export class HostFamiliesService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly families: HostFamiliesRepository,
    private readonly access: AccessPolicy,
    private readonly hooks: HostFamilyHooks,
  ) {}

  onModuleInit(): void {
    this.access.register(hostFamilyRules);
  }

  async visible(caller: Caller, id: string): Promise<HostFamily> {
    return this.access.visible(caller, 'host_family', await this.families.findById(id));
  }

  async create(caller: Caller, dto: CreateHostFamilyDto): Promise<HostFamilyView> {
    if (!mayManageFamilies(caller)) throw CommonErrors.forbidden();
    const own = ownInstitutionOf(caller, dto.institutionId);
    if (own === 'other') throw CommonErrors.forbidden();
    if (!own.institutionId) throw UserErrors.institutionRequired();
    const institutionId = own.institutionId;
    const fields = { hasPets: false, petTypes: [], smokingHousehold: false, dietsSupported: [], acceptsMinors: false, genderPreference: 'any' as const, commuteMinutes: null, ...fieldsOf(dto) };
    if (fields.availableTo! < fields.availableFrom!) throw Errors.notBefore('availableTo', 'availableFrom');
    const id = await this.tx.run(async () => {
      if (!(await this.tx.required.existsBy(Institution, { id: institutionId }))) throw UserErrors.unknownInstitution('institutionId');
      const inserted = await this.tx.required.insert(HostFamily, { ...fields, institutionId, status: 'pending_vetting' });
      const familyId = inserted.identifiers[0].id as string;
      await this.audit.record({ action: 'host_family.create', targetType: 'host_family', targetId: familyId, institutionIds: [institutionId], toStatus: 'pending_vetting' });
      return familyId;
    });
    return this.get(caller, id);
  }

  list(caller: Caller, query: ListHostFamiliesQuery): Promise<Page<HostFamilyView>> {
    return this.families.list(caller, query).then((page) => ({ items: page.items.map((f) => hostFamilyView(f, caller)), nextCursor: page.nextCursor }));
  }

  /** One family; staff of the managing institution also read every vetting. */
  async get(caller: Caller, id: string): Promise<HostFamilyView> {
    const family = await this.visible(caller, id);
    const vettings = hostFamilyRules.can(caller, 'read_vettings', family) ? await this.families.vettingsOf(id) : undefined;
    return hostFamilyView(family, caller, vettings);
  }

  /**
   * Coordinators change any field; the family's own users only its availability and
   * capacity (another field named: 403). Whatever shrinks (beds, availability) is checked
   * by the hooks against the placements, under the family's row lock.
   */
  async update(caller: Caller, id: string, dto: UpdateHostFamilyDto): Promise<HostFamilyView> {
    const changes = fieldsOf(dto);
    await this.tx.run(async () => {
      const family = this.access.visible(caller, 'host_family', await this.families.lock(id));
      const restricted = Object.keys(changes).filter((field) => !(FAMILY_EDITABLE as readonly string[]).includes(field));
      if (!hostFamilyRules.can(caller, 'edit', family)) {
        this.access.authorize(caller, 'host_family', 'edit_availability', family);
        if (restricted.length) throw Errors.familyReadOnly(restricted);
      }
      if (!Object.keys(changes).length) return;
      const from = changes.availableFrom ?? family.availableFrom;
      const to = changes.availableTo ?? family.availableTo;
      if (to < from) throw Errors.notBefore(changes.availableTo ? 'availableTo' : 'availableFrom', changes.availableTo ? 'availableFrom' : 'availableTo');
      const context: HostFamilyChangeContext = { caller, name: 'edit', family, changes };
      await this.hooks.checkBefore('edit', context);
      await this.tx.required.update(HostFamily, { id }, { ...changes, updatedAt: new Date() });
      await this.hooks.runAfter('edit', { ...context, updated: (await this.families.findById(id))! });
    });
    return this.get(caller, id);
  }

  /**
   * Records a vetting (every one is kept) and decides the family's status by its outcome. An
   * approval needs a background check of the last 12 months: the family is vetted until
   * 12 months after it.
   */
  async vet(caller: Caller, id: string, dto: VetHostFamilyDto): Promise<HostFamilyView> {
    const today = todayUtc();
    if (dto.backgroundCheckOn > today) throw Errors.inTheFuture('backgroundCheckOn');
    if (dto.homeVisitOn > today) throw Errors.inTheFuture('homeVisitOn');
    const expiresOn = vettingExpiry(dto.backgroundCheckOn);
    if (dto.outcome === 'approved' && expiresOn <= today) throw Errors.vettingTooOld();
    const name: HostFamilyTransitionName = dto.outcome === 'approved' ? 'approve' : 'reject';
    await this.tx.run(async () => {
      const family = await this.decide(caller, id, name);
      await this.tx.required.insert(HostFamilyVetting, {
        hostFamilyId: id,
        backgroundCheckOn: dto.backgroundCheckOn,
        homeVisitOn: dto.homeVisitOn,
        outcome: dto.outcome,
        notes: dto.notes ?? '',
        expiresOn,
        recordedById: caller.id,
        recorderRole: caller.role,
      });
      // A rejection leaves no validity behind it: the family is not vetted, and never reads as "expired".
      await this.change(caller, family, name, { status: name === 'approve' ? 'approved' : 'rejected', vettingExpiresOn: name === 'approve' ? expiresOn : null, suspensionReason: null });
    });
    return this.get(caller, id);
  }

  /** Takes the family out of matching and new placements (those under way stay), with a reason. */
  async suspend(caller: Caller, id: string, reason: string | undefined): Promise<HostFamilyView> {
    const why = reason?.trim();
    await this.tx.run(async () => {
      const family = await this.decide(caller, id, 'suspend');
      if (!why) throw CommonErrors.reasonRequired();
      await this.change(caller, family, 'suspend', { status: 'suspended', suspensionReason: why });
    });
    return this.get(caller, id);
  }

  /** The family under its row lock, once the lifecycle allows the transition: 404, 403, then 409. */
  private async decide(caller: Caller, id: string, name: HostFamilyTransitionName): Promise<HostFamily> {
    const family = this.access.visible(caller, 'host_family', await this.families.lock(id));
    const decision = hostFamilyLifecycle.decide(family.status, name, familyPartiesOf(caller, family));
    if (!decision.ok) throw decision.error === 'forbidden' ? CommonErrors.forbidden() : Errors.invalidTransition(family.status, name === 'suspend' ? 'suspend' : 'vet');
    return family;
  }

  private async change(caller: Caller, family: HostFamily, name: HostFamilyTransitionName, changes: Partial<HostFamily>): Promise<void> {
    const context: HostFamilyChangeContext = { caller, name, family, changes };
    await this.hooks.checkBefore(name, context);
    await this.tx.required.update(HostFamily, { id: family.id }, { ...changes, updatedAt: new Date() });
    await this.hooks.runAfter(name, { ...context, updated: (await this.families.findById(family.id))! });
  }
}
