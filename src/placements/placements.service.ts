import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Application, ApplicationStatus } from '../applications/application.entity.js';
import { ApplicationDetails } from '../applications/application.details.js';
import { ApplicationHooks } from '../applications/application.hooks.js';
import { institutionsSeeing, partiesOf } from '../applications/application.rules.js';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AccessPolicy } from '../common/access/access-policy.js';
import { inScope } from '../common/access/scope.js';
import { todayUtc } from '../common/calendar.js';
import type { TransitionDto } from '../common/dto/transition.dto.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { HostFamilyHooks } from '../host-families/host-family.hooks.js';
import { isVetted, vettingExpired } from '../host-families/host-family.rules.js';
import { HostFamilyErrors } from '../host-families/host-families.errors.js';
import { HostFamiliesRepository } from '../host-families/host-families.repository.js';
import { NotificationEvents } from '../notifications/notification-events.js';
import { ProgramHooks } from '../programs/program.hooks.js';
import { ProgramsRepository } from '../programs/programs.repository.js';
import type { CreatePlacementDto, ListPlacementsQuery, PlacementView } from './dto/placement.dto.js';
import { hardRuleViolations, studentProfileOf } from './matching.js';
import { peakOccupancy } from './occupancy.js';
import { Placement, type PlacementStatus } from './placement.entity.js';
import { mayPlace, placementPartiesOf, placementRules, placementScope } from './placement.rules.js';
import { placementLifecycle, type PlacementTransitionName } from './placement.state-machine.js';
import { placementView } from './placement.view.js';
import { PlacementErrors as Errors } from './placements.errors.js';
import { LIVE_PLACEMENT_OF_APPLICATION, livePlacementOf, PlacementsRepository } from './placements.repository.js';
import { AuditLog } from '../audit/audit-log.js';

/** Applications that are placed (and matched): offered and not yet over. */
export const PLACEABLE: readonly ApplicationStatus[] = ['accepted', 'confirmed'];

/** Who acts in a timed job (a lapse): no person. */
const SYSTEM = Symbol('system');

/** Application transitions that end its stay before it starts: its live placement is cancelled with it. */
const ENDS_APPLICATION = ['withdraw', 'decline', 'cancel'] as const;

@Injectable()
export class PlacementsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly placements: PlacementsRepository,
    private readonly applications: ApplicationsService,
    private readonly applicationRows: ApplicationsRepository,
    private readonly programs: ProgramsRepository,
    private readonly families: HostFamiliesRepository,
    private readonly access: AccessPolicy,
    private readonly applicationHooks: ApplicationHooks,
    private readonly applicationDetails: ApplicationDetails,
    private readonly familyHooks: HostFamilyHooks,
    private readonly programHooks: ProgramHooks,
    private readonly notices: NotificationEvents,
  ) {}

  onModuleInit(): void {
    this.access.register(placementRules);

    // The application's end ends its placement in its transaction (the application is locked): withdrawn, declined,
    // cancelled or completed, the bed is free again.
    this.applicationHooks.onTransition([...ENDS_APPLICATION, 'complete'], 'placements', ({ caller, name, updated, reason }) => this.endWithApplication(caller, updated, name, reason));

    // A programme's stay keeps covering its live placements, and its accommodation stays with families while it has some (under its row lock).
    this.programHooks.precondition('edit', 'placements', async ({ program, changes }) => {
      if (changes.startsOn === undefined && changes.endsOn === undefined && changes.accommodation === undefined) return;
      const range = await this.placements.liveRangeOfProgram(program.id);
      if (!range.startsOn || !range.endsOn) return;
      if (changes.accommodation !== undefined && changes.accommodation !== 'host_family') throw Errors.programHasPlacements(range.startsOn, range.endsOn);
      if ((changes.startsOn ?? program.startsOn) > range.startsOn || (changes.endsOn ?? program.endsOn) < range.endsOn) throw Errors.programHasPlacements(range.startsOn, range.endsOn);
    });

    // A family never has fewer beds, nor a shorter availability, than its live placements take (under its row lock).
    this.familyHooks.precondition('edit', 'placements', async ({ family, changes }) => {
      if (changes.capacity !== undefined && changes.capacity < family.capacity) {
        const range = await this.placements.liveRangeOf(family.id);
        if (range.startsOn && range.endsOn) {
          const { peak, day } = peakOccupancy(await this.placements.liveStaysOf(family.id, range.startsOn, range.endsOn), range.startsOn, range.endsOn);
          if (peak > changes.capacity) throw HostFamilyErrors.capacityInUse(peak, day);
        }
      }
      if (changes.availableFrom !== undefined || changes.availableTo !== undefined) {
        const range = await this.placements.liveRangeOf(family.id);
        const from = changes.availableFrom ?? family.availableFrom;
        const to = changes.availableTo ?? family.availableTo;
        if (range.startsOn && range.endsOn && (range.startsOn < from || range.endsOn > to)) throw HostFamilyErrors.availabilityInUse(range.startsOn, range.endsOn);
      }
    });

    // On its application's answer, read in the application's statement: the live placement, as far as the caller may see it (a student: once accepted).
    this.applicationDetails.register('placement', 'placements', {
      sql: LIVE_PLACEMENT_OF_APPLICATION,
      read: (caller, application, value) => {
        if (value === null) return undefined;
        const placement = livePlacementOf(value, application);
        if (!inScope(placementScope(caller), placement) || (caller.role === 'student' && placement.status !== 'accepted')) return undefined;
        return placementView(placement, caller);
      },
    });

    // Its entries in the application's history, for those who see the placement: never the sending side, a student once it was accepted.
    this.applicationDetails.registerHistory('placement', 'placements', async (caller, entries) => {
      const placementIds = [...new Set(entries.map((entry) => entry.details?.placementId).filter((id): id is string => typeof id === 'string'))];
      const scope = placementScope(caller);
      const seen = new Set((await this.placements.byIds(placementIds)).filter((p) => inScope(scope, p)).map((p) => p.id));
      return new Set(entries.filter((entry) => seen.has(entry.details?.placementId as string)).map((entry) => entry.id));
    });
  }

  /**
   * A live placement when its application ends: one begun and accepted ends (today, or its
   * last day if that has passed), one not begun or only proposed is cancelled.
   */
  private async endWithApplication(caller: Caller, application: Application, name: string, reason: string | null): Promise<void> {
    const live = await this.placements.liveOf(application.id);
    if (!live) return;
    await this.placements.lock(live.id);
    const today = todayUtc();
    const begun = live.status === 'accepted' && today >= live.startsOn;
    const why = reason ?? `application ${application.status}`;
    if (begun) {
      await this.tx.required.update(Placement, { id: live.id }, { status: 'ended', endedOn: today < live.endsOn ? today : live.endsOn, reason: name === 'complete' ? null : why, updatedAt: new Date() });
      await this.history(caller, application, live, 'end', 'ended', { reason: name === 'complete' ? null : why, comment: `with the application (${name})` });
    } else {
      await this.tx.required.update(Placement, { id: live.id }, { status: 'cancelled', reason: why, updatedAt: new Date() });
      await this.history(caller, application, live, 'cancel', 'cancelled', { reason: why, comment: `with the application (${name})` });
    }
  }

  /**
   * Proposes a placement, in one transaction under the application's row lock, then the
   * family's: the family's beds are counted and taken under that lock, so however many
   * proposals race, its proposed + accepted placements never exceed its capacity on any day.
   */
  async create(caller: Caller, dto: CreatePlacementDto): Promise<PlacementView> {
    if (!mayPlace(caller)) throw CommonErrors.forbidden();
    const id = await this.tx.run(async () => {
      // Lock order: the programme (shared: its stay must not change meanwhile), the application, the family.
      const seen = await this.applications.visible(caller, dto.applicationId);
      const program = (await this.programs.lock(seen.programId, 'share'))!;
      const application = await this.applications.lockVisible(caller, dto.applicationId);
      if (!partiesOf(caller, application).includes('receiving')) throw CommonErrors.forbidden();
      if (!PLACEABLE.includes(application.status)) throw Errors.applicationNotPlaceable(application.status);
      if (program.accommodation !== 'host_family') throw Errors.noHostFamilyAccommodation();
      const stay = { startsOn: dto.startsOn ?? program.startsOn, endsOn: dto.endsOn ?? program.endsOn };
      if (stay.endsOn < stay.startsOn) throw Errors.endBeforeStart();
      for (const field of ['startsOn', 'endsOn'] as const) {
        if (stay[field] < program.startsOn || stay[field] > program.endsOn) throw Errors.outsideStay(field, program.startsOn, program.endsOn);
      }

      const family = await this.families.lock(dto.hostFamilyId);
      if (!family || family.institutionId !== application.receivingInstitutionId) throw CommonErrors.notFound('host_family');
      const today = todayUtc();
      if (!isVetted(family, today)) throw Errors.familyNotVetted(family.status === 'approved' && vettingExpired(family, today) ? 'vetting_expired' : family.status);
      if (await this.placements.liveOf(application.id)) throw Errors.alreadyPlaced();
      const occupancy = peakOccupancy(await this.placements.liveStaysOf(family.id, stay.startsOn, stay.endsOn), stay.startsOn, stay.endsOn);
      const broken = hardRuleViolations(family, studentProfileOf(application, stay.startsOn), stay, occupancy.peak, today).filter((rule) => rule !== 'vetted' && rule !== 'beds');
      if (broken.length) throw Errors.familyUnsuitable(broken as Exclude<(typeof broken)[number], 'vetted' | 'beds'>[]);
      if (occupancy.peak >= family.capacity) throw Errors.capacityExceeded(occupancy.day, family.capacity);

      const inserted = await this.tx.required.insert(Placement, {
        applicationId: application.id,
        hostFamilyId: family.id,
        studentId: application.studentId,
        receivingInstitutionId: application.receivingInstitutionId,
        startsOn: stay.startsOn,
        endsOn: stay.endsOn,
        status: 'proposed',
        proposedById: caller.id,
      });
      const placementId = inserted.identifiers[0].id as string;
      await this.history(caller, application, { id: placementId, hostFamilyId: family.id, status: null }, 'propose', 'proposed', { comment: null, reason: null });
      await this.notices.placementChanged(caller, 'proposed', placementId);
      return placementId;
    });
    return this.get(caller, id);
  }

  async list(caller: Caller, query: ListPlacementsQuery): Promise<Page<PlacementView>> {
    const page = await this.placements.list(caller, query);
    return { items: page.items.map((p) => placementView(p, caller)), nextCursor: page.nextCursor };
  }

  /** Placements a family declined whose student is still to be placed (a receiving coordinator's to-do), newest first. */
  async declinedToReplace(caller: Caller, limit = 5): Promise<{ total: number; items: PlacementView[] }> {
    const { total, items } = await this.placements.declinedToReplace(caller, PLACEABLE, limit);
    return { total, items: items.map((p) => placementView(p, caller)) };
  }

  async get(caller: Caller, id: string): Promise<PlacementView> {
    return placementView(this.access.visible(caller, 'placement', await this.placements.findById(id)), caller);
  }

  /**
   * accept / decline (the family, or a coordinator on its behalf), cancel, end (the
   * receiving coordinator): under the application's row lock, then the placement's, as
   * the application's own transitions, which cancel it.
   */
  async transition(caller: Caller, id: string, name: PlacementTransitionName, dto: TransitionDto): Promise<PlacementView> {
    await this.tx.run(async () => {
      const seen = this.access.visible(caller, 'placement', await this.placements.findById(id));
      const application = (await this.applicationRows.lock(seen.applicationId))!;
      // Accepting reads the family's status under its (shared) row lock, so a suspension cannot slip in between.
      const family = name === 'accept' ? (await this.families.lock(seen.hostFamilyId, 'share'))! : null;
      const current = (await this.placements.lock(id))!;
      const decision = placementLifecycle.decide(current.status, name, placementPartiesOf(caller, current));
      if (!decision.ok) throw decision.error === 'forbidden' ? CommonErrors.forbidden() : Errors.invalidTransition(current.status, name);
      const reason = dto.reason?.trim() || null;
      if (decision.transition.needsReason && !reason) throw CommonErrors.reasonRequired();

      const changes: Partial<Placement> = { status: decision.transition.to, updatedAt: new Date() };
      const today = todayUtc();
      if (name === 'accept') {
        // A family suspended, rejected or whose vetting ran out since the proposal takes no one in.
        if (!isVetted(family!, today)) throw Errors.familyNotVetted(family!.status === 'approved' && vettingExpired(family!, today) ? 'vetting_expired' : family!.status);
        changes.acceptedAt = new Date();
      }
      if (name === 'end') {
        // Before its first day a placement is cancelled, not ended.
        if (today < current.startsOn) throw Errors.notStarted(current.startsOn);
        if (today < current.endsOn && !reason) throw Errors.earlyEndNeedsReason(current.endsOn);
        changes.endedOn = today < current.endsOn ? today : current.endsOn;
      }
      if (reason) changes.reason = reason;
      await this.tx.required.update(Placement, { id }, changes);
      await this.history(caller, application, current, name, decision.transition.to, { comment: dto.comment?.trim() || null, reason });
      if (name === 'accept' || name === 'decline') await this.notices.placementChanged(caller, name === 'accept' ? 'accepted' : 'declined', id, reason);
    });
    return this.get(caller, id);
  }

  /**
   * A proposal the family has not accepted within `days` (made at or before `cutoff`)
   * lapses: declined, so that its bed is free again and the receiving coordinators, told as
   * of a declined placement, propose another family. Under the same locks as the family's
   * own answer, so an acceptance racing the lapse wins or loses whole. No caller: the
   * history and the audit log name the system. Returns whether this call made it lapse.
   */
  async lapse(id: string, cutoff: Date, days: number): Promise<boolean> {
    return this.tx.run(async () => {
      const seen = await this.placements.findById(id);
      if (!seen) return false;
      const application = (await this.applicationRows.lock(seen.applicationId))!;
      const current = await this.placements.lock(id);
      if (!current || current.status !== 'proposed' || current.createdAt > cutoff) return false;
      const reason = `not accepted within ${days} days of the proposal`;
      await this.tx.required.update(Placement, { id }, { status: 'declined', reason, updatedAt: new Date() });
      await this.history(SYSTEM, application, current, 'decline', 'declined', { comment: 'the proposal lapsed', reason });
      await this.notices.placementChanged(null, 'declined', id, reason);
      return true;
    });
  }

  /**
   * One entry in the application's history (its status is unchanged, the placement's is in
   * `details`) and one in the audit log, about the placement.
   */
  private async history(
    caller: Pick<Caller, 'id' | 'role'> | typeof SYSTEM,
    application: Application,
    placement: { id: string; hostFamilyId: string; status: PlacementStatus | null },
    action: PlacementTransitionName | 'propose',
    to: PlacementStatus,
    notes: { comment: string | null; reason: string | null },
  ): Promise<void> {
    await this.audit.record({
      ...(caller === SYSTEM ? { actor: null } : {}),
      action: `placement.${action}`,
      targetType: 'placement',
      targetId: placement.id,
      institutionIds: institutionsSeeing(application),
      fromStatus: placement.status,
      toStatus: to,
      comment: notes.reason ?? notes.comment,
      details: { applicationId: application.id, hostFamilyId: placement.hostFamilyId },
    });
    await this.applicationRows.insertHistory({
      applicationId: application.id,
      action: `placement.${action}`,
      fromStatus: application.status,
      toStatus: application.status,
      actorId: caller === SYSTEM ? null : caller.id,
      actorRole: caller === SYSTEM ? 'system' : caller.role,
      comment: notes.comment,
      reason: notes.reason,
      details: { placementId: placement.id, hostFamilyId: placement.hostFamilyId, from: placement.status, to },
    });
  }
}
