import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import { paginate, type Page } from '../common/pagination/pagination.js';
import type { CreateInstitutionDto, ListInstitutionsQuery, UpdateInstitutionDto } from './dto/institution.dto.js';
import type { InstitutionView } from './dto/institution.dto.js';
import { institutionView } from './institution.view.js';
import { Institution } from './institution.entity.js';
import { InstitutionErrors } from './institutions.errors.js';

/** Institutions are public reference data (registration lists them); only admins write them. */
@Injectable()
export class InstitutionsService {
  constructor(private readonly tx: TransactionHost) {}

  async list(query: ListInstitutionsQuery): Promise<Page<InstitutionView>> {
    const builder = this.tx.manager.createQueryBuilder(Institution, 'institution');
    if (query.country) builder.andWhere('institution.country = :country', { country: query.country.toUpperCase() });
    if (query.kind) builder.andWhere('institution.kind = :kind', { kind: query.kind });
    const page = await paginate(builder, query, [
      ['institution.name', (row) => row.name],
      ['institution.id', (row) => row.id],
    ]);
    return { items: page.items.map(institutionView), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<InstitutionView> {
    const institution = await this.tx.manager.findOne(Institution, { where: { id } });
    if (!institution) throw CommonErrors.notFound('institution');
    return institutionView(institution);
  }

  async create(dto: CreateInstitutionDto): Promise<InstitutionView> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .insert()
      .into(Institution)
      .values({ ...dto, country: dto.country.toUpperCase(), schacCode: dto.schacCode ?? null, erasmusCode: dto.erasmusCode ?? null })
      .orIgnore()
      .returning('id')
      .execute();
    const id = (result.raw as { id: string }[])[0]?.id;
    if (!id) throw InstitutionErrors.nameTaken();
    return this.get(id);
  }

  async update(id: string, dto: UpdateInstitutionDto): Promise<InstitutionView> {
    const required = ['name', 'shortName', 'city', 'country', 'kind', 'timezone'] as const;
    const nulls = required.filter((field) => dto[field] === null);
    if (nulls.length) throw CommonErrors.validation(nulls.map((field) => ({ field, key: 'isDefined', message: 'must not be null' })));
    await this.get(id);
    const changes: Partial<Institution> = { ...dto };
    if (dto.country) changes.country = dto.country.toUpperCase();
    if (Object.keys(changes).length) {
      try {
        await this.tx.manager.update(Institution, { id }, changes);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw InstitutionErrors.nameTaken();
        throw error;
      }
    }
    return this.get(id);
  }
}
