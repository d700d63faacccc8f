import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { AgreementHooks, type AgreementChangeDone } from '../agreements/agreement.hooks.js';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { ApplicationHooks, type ApplicationTransitionDone } from '../applications/application.hooks.js';
import { institutionsSeeing } from '../applications/application.rules.js';
import { ApplicationsModule } from '../applications/applications.module.js';
import { HostFamiliesModule } from '../host-families/host-families.module.js';
import { HostFamilyHooks, type HostFamilyChangeDone } from '../host-families/host-family.hooks.js';
import { ProgramHooks, type ProgramChangeDone } from '../programs/program.hooks.js';
import { ProgramsModule } from '../programs/programs.module.js';
import { AuditLog } from './audit-log.js';

/** The names of the fields a change set, never their values (which may be a person's data). */
function fieldsOf(changes: object): string[] {
  return Object.keys(changes).sort();
}

/**
 * Every change of the lifecycles with hooks (applications, programmes, agreements, host
 * families) in the audit log, in the transaction of the change: a handler on each of their
 * changes. Changes of the other domains are recorded by their services.
 */
@Injectable()
export class AuditHooks implements OnModuleInit {
  constructor(
    private readonly audit: AuditLog,
    private readonly applications: ApplicationHooks,
    private readonly programs: ProgramHooks,
    private readonly agreements: AgreementHooks,
    private readonly families: HostFamilyHooks,
  ) {}

  onModuleInit(): void {
    this.applications.onTransition('*', 'audit', (done) => this.application(done));
    this.programs.onTransition('*', 'audit', (done) => this.program(done));
    this.agreements.onTransition('*', 'audit', (done) => this.agreement(done));
    this.families.onTransition('*', 'audit', (done) => this.family(done));
  }

  private application({ name, application, updated, program, comment, reason }: ApplicationTransitionDone): Promise<void> {
    return this.audit.record({
      action: `application.${name}`,
      targetType: 'application',
      targetId: application.id,
      // The coordinators who see the application as it now stands (a draft: none; the receiving side from its nomination).
      institutionIds: institutionsSeeing(updated),
      fromStatus: application.status,
      toStatus: updated.status,
      comment: reason ?? comment,
      details: { programId: program.id, ...(updated.arrivedAt && name === 'check-in' ? { arrivedAt: updated.arrivedAt.toISOString() } : {}) },
    });
  }

  private program({ name, program, updated, changes }: ProgramChangeDone): Promise<void> {
    return this.audit.record({
      action: `program.${name}`,
      targetType: 'program',
      targetId: program.id,
      institutionIds: [program.sendingInstitutionId, program.receivingInstitutionId],
      fromStatus: program.status,
      toStatus: updated.status,
      details: { agreementId: program.agreementId, ...(name === 'edit' ? { fields: fieldsOf(changes) } : {}) },
    });
  }

  private agreement({ caller, name, agreement, updated }: AgreementChangeDone): Promise<void> {
    const approval = name === 'approve' ? updated.approvals?.find((a) => a.approvedBy === caller.id) : undefined;
    return this.audit.record({
      action: `agreement.${name}`,
      targetType: 'agreement',
      targetId: agreement.id,
      institutionIds: (updated.partners ?? agreement.partners ?? []).map((partner) => partner.institutionId),
      fromStatus: name === 'propose' ? null : agreement.status,
      toStatus: updated.status,
      comment: name === 'terminate' ? updated.terminationReason : (approval?.comment ?? null),
      details: { version: updated.version },
    });
  }

  private family({ name, family, updated, changes }: HostFamilyChangeDone): Promise<void> {
    return this.audit.record({
      action: `host_family.${name}`,
      targetType: 'host_family',
      targetId: family.id,
      institutionIds: [family.institutionId],
      fromStatus: family.status,
      toStatus: updated.status,
      comment: name === 'suspend' ? updated.suspensionReason : null,
      details: { fields: fieldsOf(changes) },
    });
  }
}

/** Wires the audit log onto the lifecycles' hooks (the log itself is AuditModule, global). */
@Module({
  imports: [ApplicationsModule, ProgramsModule, AgreementsModule, HostFamiliesModule],
  providers: [AuditHooks],
})
export class AuditHooksModule {}
