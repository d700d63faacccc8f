import { Injectable } from '@nestjs/common';
import { RowLocks } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { LearningAgreement, LearningAgreementVersion } from './learning-agreement.entity.js';

/**
 * Queries of learning agreements and their archived versions; each takes part in the
 * caller's transaction when one is open. Writes run under the application's row lock
 * (taken first by the service); the agreement's own lock comes after it in the lock order.
 */
@Injectable()
export class LearningAgreementsRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
  ) {}

  findOf(applicationId: string): Promise<LearningAgreement | null> {
    return this.tx.manager.findOne(LearningAgreement, { where: { applicationId } });
  }

  /** The agreement's row, locked in the open transaction (after the application's). */
  lockOf(applicationId: string): Promise<LearningAgreement | null> {
    return this.locks.lock('learning_agreement', LearningAgreement, applicationId, 'write', 'applicationId');
  }

  /** Creates it when there is none yet; false when another first write got there before. */
  async insertFirst(values: Pick<LearningAgreement, 'applicationId' | 'components' | 'recognizedComponents' | 'signatures' | 'updatedBy'>): Promise<boolean> {
    const inserted = await this.tx.required.createQueryBuilder().insert().into(LearningAgreement).values(values).orIgnore().returning('application_id').execute();
    return (inserted.raw as unknown[]).length > 0;
  }

  async update(applicationId: string, changes: Partial<LearningAgreement>): Promise<void> {
    await this.tx.required.update(LearningAgreement, { applicationId }, changes as never);
  }

  async archive(version: Omit<LearningAgreementVersion, 'id'>): Promise<void> {
    await this.tx.required.insert(LearningAgreementVersion, version);
  }

  versionsOf(applicationId: string): Promise<LearningAgreementVersion[]> {
    return this.tx.manager.find(LearningAgreementVersion, { where: { applicationId }, order: { version: 'ASC' } });
  }
}
