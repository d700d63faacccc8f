import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AgreementHooks, type AgreementChangeDone } from '../agreements/agreement.hooks.js';
import { ApplicationHooks, type ApplicationTransitionDone } from '../applications/application.hooks.js';
import type { TransitionName } from '../applications/application.state-machine.js';
import type { Caller } from '../common/http/caller.js';
import type { NotificationKind } from './notification.entity.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';

/** The application transitions someone is told of, with the kind they are told. */
const APPLICATION_KINDS = {
  submit: 'application.submitted',
  nominate: 'application.nominated',
  accept: 'application.accepted',
  waitlist: 'application.waitlisted',
  reject: 'application.rejected',
  cancel: 'application.cancelled',
  confirm: 'application.confirmed',
  decline: 'application.declined',
  withdraw: 'application.withdrawn',
} as const satisfies Partial<Record<TransitionName, NotificationKind>>;
type NotifiedTransition = keyof typeof APPLICATION_KINDS;

/** The sending side sees an application from `submitted` on, the receiving side from `nominated` on (SPEC section 2). */
const SEEN_BY_RECEIVING = new Set(['nominated', 'waitlisted', 'accepted', 'confirmed', 'arrived', 'completed']);

/**
 * Who is told what (issue 10), registered on the lifecycles' hooks so that each
 * notification is written in the transaction of its change; placements call
 * `placementChanged` from their own transaction. Whoever made the change is not told of it.
 */
@Injectable()
export class NotificationEvents implements OnModuleInit {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly facts: NotificationsRepository,
    private readonly applicationHooks: ApplicationHooks,
    private readonly agreementHooks: AgreementHooks,
  ) {}

  onModuleInit(): void {
    this.applicationHooks.onTransition(Object.keys(APPLICATION_KINDS) as NotifiedTransition[], 'notifications', (done) => this.applicationChanged(done));
    this.agreementHooks.onTransition(['propose', 'edit', 'approve', 'terminate'], 'notifications', (done) => this.agreementChanged(done));
  }

  private async applicationChanged({ caller, name, application, updated, program, comment, reason }: ApplicationTransitionDone): Promise<void> {
    const kind = APPLICATION_KINDS[name as NotifiedTransition];
    const sending = () => this.facts.staffOf('coordinator', [program.sendingInstitutionId]);
    const receiving = () => this.facts.staffOf('coordinator', [program.receivingInstitutionId]);
    let recipients: string[];
    switch (name as NotifiedTransition) {
      case 'submit':
        recipients = await sending();
        break;
      case 'nominate':
        recipients = [...(await receiving()), updated.studentId];
        break;
      case 'accept':
      case 'waitlist':
      case 'reject':
      case 'cancel':
        recipients = [updated.studentId];
        break;
      case 'confirm':
      case 'decline':
      case 'withdraw':
        // A side is told only of what it can see: a draft withdrawn concerns no one, one withdrawn before its nomination not the receiving side.
        recipients = [...(application.status !== 'draft' ? await sending() : []), ...(SEEN_BY_RECEIVING.has(application.status) ? await receiving() : [])];
        break;
    }
    const institutions = await this.facts.institutionNames([program.sendingInstitutionId, program.receivingInstitutionId]);
    await this.notifications.notify({
      kind,
      recipients,
      actorId: caller.id,
      object: { type: 'application', id: updated.id },
      params: {
        studentName: (await this.facts.userName(updated.studentId)) ?? '',
        programTitle: program.title,
        sendingInstitution: institutions.get(program.sendingInstitutionId) ?? '',
        receivingInstitution: institutions.get(program.receivingInstitutionId) ?? '',
        startsOn: program.startsOn,
        endsOn: program.endsOn,
        comment,
        reason,
      },
    });
  }

  /**
   * Waiting for approval: on the proposal, after an edit that cleared the approvals (a new
   * version), and after each approval for the partners still to approve; approved by all
   * once the last one approves; terminated.
   */
  private async agreementChanged({ caller, name, agreement, updated }: AgreementChangeDone): Promise<void> {
    const partners = (updated.partners ?? []).map((p) => p.institutionId);
    const approved = new Set((updated.approvals ?? []).map((a) => a.institutionId));
    let kind: NotificationKind;
    let institutions: string[];
    if (name === 'propose' || (name === 'edit' && (agreement.approvals ?? []).length > 0 && approved.size === 0)) {
      kind = 'agreement.awaiting_approval';
      institutions = partners;
    } else if (name === 'approve' && updated.status === 'active') {
      kind = 'agreement.approved';
      institutions = partners;
    } else if (name === 'approve') {
      kind = 'agreement.awaiting_approval';
      institutions = partners.filter((id) => !approved.has(id));
    } else if (name === 'terminate') {
      kind = 'agreement.terminated';
      institutions = partners;
    } else {
      return;
    }
    await this.notifications.notify({
      kind,
      recipients: await this.facts.staffOf('coordinator', institutions),
      actorId: caller.id,
      object: { type: 'agreement', id: updated.id },
      params: { agreementTitle: updated.title, version: updated.version, startsOn: updated.startsOn, endsOn: updated.endsOn, reason: updated.terminationReason ?? null },
    });
  }

  /**
   * A placement proposed (the family's users are told), accepted (the receiving
   * coordinators, the student and the host school) or declined (the receiving
   * coordinators): called by placements inside the transaction of the change.
   */
  async placementChanged(caller: Pick<Caller, 'id'> | null, change: 'proposed' | 'accepted' | 'declined', placementId: string, reason: string | null = null): Promise<void> {
    const placement = await this.facts.placementFacts(placementId);
    if (!placement) return;
    let recipients: string[];
    if (change === 'proposed') recipients = await this.facts.familyUsers([placement.hostFamilyId]);
    else if (change === 'accepted')
      recipients = [...(await this.facts.staffOf('coordinator', [placement.receivingInstitutionId])), placement.studentId, ...(await this.facts.staffOf('host_school', [placement.receivingInstitutionId]))];
    else recipients = await this.facts.staffOf('coordinator', [placement.receivingInstitutionId]);
    await this.notifications.notify({
      kind: `placement.${change}`,
      recipients,
      actorId: caller?.id ?? null,
      object: { type: 'placement', id: placement.id },
      params: {
        studentName: placement.studentName,
        programTitle: placement.programTitle,
        familyName: placement.familyName,
        receivingInstitution: placement.receivingInstitution,
        startsOn: placement.startsOn,
        endsOn: placement.endsOn,
        applicationId: placement.applicationId,
        reason,
      },
    });
  }
}
