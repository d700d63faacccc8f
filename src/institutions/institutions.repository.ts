import { Injectable } from '@nestjs/common';
import { paginate, type Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { ListInstitutionsQuery } from './dto/institution.dto.js';
import { Institution } from './institution.entity.js';

/** Queries of institutions; each takes part in the caller's transaction when one is open. */
@Injectable()
export class InstitutionsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** By name, filtered by country and kind. */
  listPage(query: ListInstitutionsQuery): Promise<Page<Institution>> {
    const builder = this.tx.manager.createQueryBuilder(Institution, 'institution');
    if (query.country) builder.andWhere('institution.country = :country', { country: query.country.toUpperCase() });
    if (query.kind) builder.andWhere('institution.kind = :kind', { kind: query.kind });
    return paginate(builder, query, [
      ['institution.name', (row) => row.name],
      ['institution.id', (row) => row.id],
    ]);
  }

  count(): Promise<number> {
    return this.tx.manager.count(Institution);
  }

  findById(id: string): Promise<Institution | null> {
    return this.tx.manager.findOne(Institution, { where: { id } });
  }

  /** The new institution's id, or null when one of that name exists already. */
  async insertUnlessNameTaken(values: Omit<Institution, 'id' | 'createdAt' | 'updatedAt'>, then: (id: string) => Promise<void> = async () => undefined): Promise<string | null> {
    return this.tx.run(async () => {
      const result = await this.tx.required.createQueryBuilder().insert().into(Institution).values(values).orIgnore().returning('id').execute();
      const id = (result.raw as { id: string }[])[0]?.id ?? null;
      if (id) await then(id);
      return id;
    });
  }

  /**
   * False when the change would give it the name of another one. A transaction of its own:
   * the unique violation it catches would abort a caller's transaction.
   */
  async updateUnlessNameTaken(id: string, changes: Partial<Institution>, then: () => Promise<void> = async () => undefined): Promise<boolean> {
    if (this.tx.isActive()) throw new Error('updateUnlessNameTaken catches a unique violation: call it outside a transaction');
    try {
      await this.tx.run(async () => {
        await this.tx.required.update(Institution, { id }, changes);
        await then();
      });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return false;
      throw error;
    }
  }
}
