import { Injectable, type OnModuleInit } from '@nestjs/common';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { Application, type TravelDetails } from '../applications/application.entity.js';
import { ApplicationHooks } from '../applications/application.hooks.js';
import { ApplicationErrors } from '../applications/applications.errors.js';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AccessPolicy } from '../common/access/access-policy.js';
import { addDays, todayUtc, yearsBetween } from '../common/calendar.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { InstitutionsRepository } from '../institutions/institutions.repository.js';
import { ADULT_AGE } from '../placements/matching.js';
import { PlacementsRepository } from '../placements/placements.repository.js';
import { ProgramsRepository } from '../programs/programs.repository.js';
import type { Locale } from '../users/user.entity.js';
import { arrivalWindow, boardInstitutionOf, checklistItemRules, completesItem, seesChecklist, writesTravel } from './arrival.rules.js';
import { ArrivalErrors } from './arrivals.errors.js';
import { ChecklistItemErrors } from './checklist-items.errors.js';
import { ArrivalsRepository, type BoardRow, type BoardSummary } from './arrivals.repository.js';
import { CHECKLIST_TITLES, generateChecklist, isOverdue, type ChecklistCode } from './checklist.js';
import { ChecklistItem } from './checklist-item.entity.js';
import { localDate } from './deadlines.js';
import type { ArrivalsFeedQuery, ArrivalsQuery, ArrivalView, ChecklistItemView, CompleteItemDto, PutTravelDto } from './dto/arrival.dto.js';
import { AuditLog } from '../audit/audit-log.js';
import { institutionsSeeing } from '../applications/application.rules.js';

/** The most arrivals one calendar feed carries (the board's filters narrow it). */
export const FEED_LIMIT = 1000;
/** Without `from`, the feed starts this many days ago. */
export const FEED_DAYS_BACK = 30;

/** A student's checklist with what its page needs around it (ArrivalsService.checklistFor). */
export interface ChecklistOf {
  application: { id: string; studentName: string; status: string; arrivedAt: string | null; receivingInstitutionId: string; timezone: string };
  /** each item, and whether the caller may complete it now */
  items: (ChecklistItemView & { completable: boolean })[];
}

/**
 * What host-school staff open every morning: travel details, the arrivals board and its
 * calendar feed, the checklist made at check-in with its legal deadlines, and its items
 * completed by whoever answers for them.
 */
@Injectable()
export class ArrivalsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
    private readonly arrivals: ArrivalsRepository,
    private readonly applications: ApplicationsService,
    private readonly applicationRows: ApplicationsRepository,
    private readonly programs: ProgramsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly placements: PlacementsRepository,
    private readonly access: AccessPolicy,
    private readonly hooks: ApplicationHooks,
  ) {}

  onModuleInit(): void {
    this.access.register(checklistItemRules);

    // Check-in happens within the programme's days of arrival, counted in the receiving institution's zone.
    this.hooks.precondition('check-in', 'arrivals', async ({ application, program, changes }) => {
      const institution = (await this.institutions.findById(application.receivingInstitutionId))!;
      const arrivedOn = localDate(changes.arrivedAt ?? new Date(), institution.timezone);
      const window = arrivalWindow(program);
      if (arrivedOn < window.from) throw ArrivalErrors.beforeArrivalWindow(window.from);
      if (arrivedOn > window.to) throw ArrivalErrors.afterStay('arrivedAt', window.to);
      // Who answers for the formalities depends on where the student lives: a proposal still open is decided first.
      if ((await this.placements.liveOf(application.id))?.status === 'proposed') throw ArrivalErrors.placementUndecided();
    });

    // The checklist of the receiving institution's country, in the transaction of the check-in.
    this.hooks.onTransition('check-in', 'arrivals', async ({ updated, program }) => {
      const institution = (await this.institutions.findById(updated.receivingInstitutionId))!;
      const placement = await this.placements.liveOf(updated.id);
      const family = placement?.status === 'accepted' ? placement.hostFamilyId : null;
      const arrivedAt = updated.arrivedAt!;
      const arrivedOn = localDate(arrivedAt, institution.timezone);
      const items = generateChecklist({
        country: institution.country,
        timeZone: institution.timezone,
        arrivedAt,
        stayEndsOn: program.endsOn,
        // A student without a date of birth counts as a minor, as in matching.
        studentIsAdult: updated.dateOfBirth !== null && yearsBetween(updated.dateOfBirth, arrivedOn) >= ADULT_AGE,
        placedWithFamily: family !== null,
      });
      await this.arrivals.insertItems(items.map((item) => ({ applicationId: updated.id, ...item, hostFamilyId: family })));
    });
  }

  /**
   * The student of a confirmed application, or its receiving coordinator on its behalf,
   * gives the travel details; they change until check-in, each change in the history.
   */
  async putTravel(caller: Caller, applicationId: string, dto: PutTravelDto): Promise<TravelDetails> {
    return this.tx.run(async () => {
      const application = await this.applications.lockVisible(caller, applicationId);
      if (!writesTravel(caller, application)) throw CommonErrors.forbidden();
      if (application.status !== 'confirmed') throw ArrivalErrors.travelNotEditable(application.status);
      const program = (await this.programs.findById(application.programId))!;
      const institution = (await this.institutions.findById(application.receivingInstitutionId))!;
      const arrivalAt = new Date(dto.arrivalAt);
      const window = arrivalWindow(program);
      const arrivalOn = localDate(arrivalAt, institution.timezone);
      if (arrivalOn < window.from) throw ArrivalErrors.beforeArrivalWindow(window.from, 'arrivalAt');
      if (arrivalOn > window.to) throw ArrivalErrors.afterStay('arrivalAt', window.to);
      const travel: TravelDetails = { arrivalAt: dto.arrivalAt, transportMode: dto.transportMode, reference: dto.reference ?? '', arrivalPoint: dto.arrivalPoint, needsPickup: dto.needsPickup };
      await this.tx.required.update(Application, { id: applicationId }, { travel, expectedArrivalAt: arrivalAt, updatedAt: new Date() });
      await this.applicationRows.insertHistory({
        applicationId,
        action: 'travel.update',
        fromStatus: application.status,
        toStatus: application.status,
        actorId: caller.id,
        actorRole: caller.role,
        comment: null,
        reason: null,
        details: { ...travel },
      });
      // The details themselves stay in the history (which erasure can clear), never in the append-only log.
      await this.audit.record({
        action: 'application.travel',
        targetType: 'application',
        targetId: applicationId,
        institutionIds: institutionsSeeing(application),
        fromStatus: application.status,
        toStatus: application.status,
        details: { fields: ['arrivalAt', 'arrivalPoint', 'needsPickup', 'reference', 'transportMode'] },
      });
      return travel;
    });
  }

  async board(caller: Caller, query: ArrivalsQuery): Promise<Page<ArrivalView>> {
    const scope = boardInstitutionOf(caller, query.institutionId);
    if (scope === 'forbidden') throw CommonErrors.forbidden();
    const page = await this.arrivals.board(scope.institutionId, query);
    return { items: page.items.map(arrivalView), nextCursor: page.nextCursor };
  }

  /** The board as an iCalendar feed: one event per arrival, its UID stable across edits of the travel details. */
  async feed(caller: Caller, query: ArrivalsFeedQuery): Promise<string> {
    const scope = boardInstitutionOf(caller, query.institutionId);
    if (scope === 'forbidden') throw CommonErrors.forbidden();
    // A calendar shows what is coming: from FEED_DAYS_BACK days ago unless `from` says otherwise, at most FEED_LIMIT events.
    const from = query.from ?? addDays(todayUtc(), -FEED_DAYS_BACK);
    const { items } = await this.arrivals.board(scope.institutionId, { ...query, from }, FEED_LIMIT, true);
    const calendar = ical({ name: 'Arrivals', prodId: { company: 'exchange-platform', product: 'arrivals', language: 'EN' }, method: ICalCalendarMethod.PUBLISH });
    for (const row of items) {
      const start = new Date(row.travel.arrivalAt);
      const how = [row.travel.transportMode, row.travel.reference].filter(Boolean).join(' ');
      calendar.createEvent({
        id: `arrival-${row.applicationId}@exchange-platform`,
        start,
        end: new Date(start.getTime() + 60 * 60_000),
        stamp: new Date(row.updatedAt!),
        summary: `${row.studentName} arrives (${how})`,
        location: row.travel.arrivalPoint,
        description: [
          row.travel.needsPickup ? 'Pickup needed.' : 'No pickup needed.',
          `Programme: ${row.programTitle}.`,
          row.familyName ? `Host family: ${row.familyName}.` : null,
          `Status: ${row.status}.`,
        ]
          .filter(Boolean)
          .join('\n'),
      });
    }
    return calendar.toString();
  }

  /** The student's checklist, to those who read it (arrival.rules.ts): 404 for anyone else. */
  async checklist(caller: Caller, applicationId: string, locale: Locale): Promise<{ items: ChecklistItemView[]; nextCursor: null }> {
    const application = await this.readableApplication(caller, applicationId);
    const institution = (await this.institutions.findById(application.receivingInstitutionId))!;
    const today = localDate(new Date(), institution.timezone);
    const items = await this.arrivals.itemsOf(applicationId);
    return { items: items.map((item) => itemView(item, today, locale)), nextCursor: null };
  }

  /** The board's counts of the caller's institution (admins: the one named, or all): arriving today, overdue, items past due. */
  async summary(caller: Caller, institutionId?: string): Promise<BoardSummary> {
    const scope = boardInstitutionOf(caller, institutionId);
    if (scope === 'forbidden') throw CommonErrors.forbidden();
    return this.arrivals.summary(scope.institutionId);
  }

  /**
   * The checklist with the student's name, the receiving institution's zone (its due dates'
   * and the arrival's) and, for each item, whether the caller may complete it now (the rule
   * `complete` applies), so that a page offers only what it would be allowed.
   */
  async checklistFor(caller: Caller, applicationId: string, locale: Locale): Promise<ChecklistOf> {
    const application = await this.readableApplication(caller, applicationId);
    const institution = (await this.institutions.findById(application.receivingInstitutionId))!;
    const today = localDate(new Date(), institution.timezone);
    const placement = await this.placements.liveOf(applicationId);
    const currentFamilyId = placement?.status === 'accepted' ? placement.hostFamilyId : null;
    const stayOpen = application.status === 'arrived' || application.status === 'completed';
    const items = await this.arrivals.itemsOf(applicationId);
    return {
      application: {
        id: application.id,
        studentName: application.student?.fullName ?? '',
        status: application.status,
        arrivedAt: application.arrivedAt?.toISOString() ?? null,
        receivingInstitutionId: application.receivingInstitutionId,
        timezone: institution.timezone,
      },
      items: items.map((item) => {
        const located = Object.assign(item, { receivingInstitutionId: application.receivingInstitutionId, sendingInstitutionId: application.sendingInstitutionId, studentId: application.studentId, currentFamilyId, timezone: institution.timezone });
        return { ...itemView(item, today, locale), completable: stayOpen && !item.completedAt && completesItem(caller, located) };
      }),
    };
  }

  /**
   * Completes an item, once: under its application's row lock, so that two completions
   * of one item (or one racing a cancellation) cannot both win.
   */
  async complete(caller: Caller, itemId: string, dto: CompleteItemDto, locale: Locale): Promise<ChecklistItemView> {
    return this.tx.run(async () => {
      const seen = this.access.visible(caller, 'checklist_item', await this.arrivals.findItem(itemId));
      const application = (await this.applicationRows.lock(seen.applicationId))!;
      // A stay cancelled or withdrawn has nothing left to do; a completed one may still record what was done.
      if (application.status !== 'arrived' && application.status !== 'completed') throw ApplicationErrors.notEditable(application.status);
      const item = this.access.authorize(caller, 'checklist_item', 'complete', await this.arrivals.findItem(itemId));
      if (item.completedAt) throw ChecklistItemErrors.alreadyCompleted(item.completedAt);
      const done = { completedAt: new Date(), completedById: caller.id, completedByRole: caller.role, note: dto.note?.trim() || null };
      await this.tx.required.update(ChecklistItem, { id: itemId }, done);
      await this.audit.record({
        action: 'checklist_item.complete',
        targetType: 'checklist_item',
        targetId: itemId,
        institutionIds: institutionsSeeing(application),
        fromStatus: 'open',
        toStatus: 'done',
        comment: done.note,
        details: { applicationId: application.id, code: item.code },
      });
      return itemView({ ...item, ...done }, localDate(new Date(), item.timezone), locale);
    });
  }

  /** The application when the caller reads its checklist: who sees the application, or the family the student lives with now. */
  private async readableApplication(caller: Caller, applicationId: string): Promise<Application> {
    if (caller.role === 'host_family') {
      const application = await this.applicationRows.findById(applicationId);
      const placement = application ? await this.placements.liveOf(applicationId) : null;
      const currentFamilyId = placement?.status === 'accepted' ? placement.hostFamilyId : null;
      if (!application || !seesChecklist(caller, { ...application, currentFamilyId })) throw CommonErrors.notFound('application');
      return application;
    }
    const application = await this.applications.visible(caller, applicationId);
    if (!seesChecklist(caller, { ...application, currentFamilyId: null })) throw CommonErrors.notFound('application');
    return application;
  }
}

function arrivalView(row: BoardRow): ArrivalView {
  return {
    applicationId: row.applicationId,
    programId: row.programId,
    programTitle: row.programTitle,
    studentId: row.studentId,
    studentName: row.studentName,
    applicationStatus: row.applicationStatus,
    status: row.status,
    travel: row.travel,
    arrivedAt: row.arrivedAt ? new Date(row.arrivedAt).toISOString() : null,
    family: row.familyId ? { id: row.familyId, displayName: row.familyName!, address: row.familyAddress!, contactPhone: row.familyPhone! } : null,
    checklist: { total: row.total, done: row.done, overdue: row.overdue },
  };
}

function itemView(item: ChecklistItem, today: string, locale: Locale): ChecklistItemView {
  return {
    id: item.id,
    code: item.code,
    sequence: item.sequence,
    title: CHECKLIST_TITLES[item.code as ChecklistCode]?.[locale] ?? item.code,
    dueOn: item.dueOn,
    provisional: item.provisional,
    responsible: item.responsible,
    hostFamilyId: item.hostFamilyId,
    status: item.completedAt ? 'done' : isOverdue(item, today) ? 'overdue' : 'open',
    completedAt: item.completedAt?.toISOString() ?? null,
    completedBy: item.completedById,
    note: item.note,
  };
}
