import { Injectable } from '@nestjs/common';
import { CommonErrors } from '../common/errors/domain-error.js';
import { VersionedRepresentations, type Representation } from '../common/http/representations.js';
import type { Page } from '../common/pagination/pagination.js';
import type { CreateInstitutionDto, ListInstitutionsQuery, UpdateInstitutionDto } from './dto/institution.dto.js';
import type { InstitutionView } from './dto/institution.dto.js';
import { institutionView } from './institution.view.js';
import type { Institution } from './institution.entity.js';
import { AuditLog } from '../audit/audit-log.js';
import { InstitutionsRepository } from './institutions.repository.js';
import { InstitutionErrors } from './institutions.errors.js';

/**
 * Institutions are public reference data (registration lists them); only admins write them.
 * Their answers are kept serialized while the table's version stays the same (one row read
 * per request instead of the rows), and carry an ETag, so that a client holding an answer
 * is told 304 Not Modified.
 */
@Injectable()
export class InstitutionsService {
  private readonly answers = new VersionedRepresentations();

  constructor(
    private readonly institutions: InstitutionsRepository,
    private readonly audit: AuditLog,
  ) {}

  async list(query: ListInstitutionsQuery): Promise<Page<InstitutionView>> {
    const page = await this.institutions.listPage(query);
    return { items: page.items.map(institutionView), nextCursor: page.nextCursor };
  }

  /** `list`, serialized, as of the table's current version. */
  async listRepresentation(query: ListInstitutionsQuery): Promise<Representation> {
    const version = await this.institutions.version();
    return this.answers.get(version, JSON.stringify(['list', query.country ?? null, query.kind ?? null, query.limit ?? null, query.cursor ?? null]), () => this.list(query));
  }

  /** `get`, serialized, as of the table's current version (404 as `get`). */
  async representation(id: string): Promise<Representation> {
    const version = await this.institutions.version();
    return this.answers.get(version, JSON.stringify(['one', id]), () => this.get(id));
  }

  /** How many institutions the platform has. */
  count(): Promise<number> {
    return this.institutions.count();
  }

  async get(id: string): Promise<InstitutionView> {
    const institution = await this.institutions.findById(id);
    if (!institution) throw CommonErrors.notFound('institution');
    return institutionView(institution);
  }

  async create(dto: CreateInstitutionDto): Promise<InstitutionView> {
    const id = await this.institutions.insertUnlessNameTaken(
      { ...dto, country: dto.country.toUpperCase(), schacCode: dto.schacCode ?? null, erasmusCode: dto.erasmusCode ?? null },
      (created) => this.audit.record({ action: 'institution.create', targetType: 'institution', targetId: created, institutionIds: [created] }),
    );
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
    const recorded = () => this.audit.record({ action: 'institution.edit', targetType: 'institution', targetId: id, institutionIds: [id], details: { fields: Object.keys(changes).sort() } });
    if (Object.keys(changes).length && !(await this.institutions.updateUnlessNameTaken(id, changes, recorded))) throw InstitutionErrors.nameTaken();
    return this.get(id);
  }
}
