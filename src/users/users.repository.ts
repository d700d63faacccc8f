import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { paginate, type Page, type PageQuery } from '../common/pagination/pagination.js';
import { User, type Role } from './user.entity.js';

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { id } });
  }

  /** With the password hash, for sign-in only. */
  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.dataSource.manager
      .createQueryBuilder(User, 'user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
  }

  findPasswordHash(id: string): Promise<string | null> {
    return this.dataSource.manager
      .createQueryBuilder(User, 'user')
      .select('user.passwordHash', 'hash')
      .where('user.id = :id', { id })
      .getRawOne<{ hash: string | null }>()
      .then((row) => row?.hash ?? null);
  }

  /** Ordered by e-mail (unique), filtered by institution and role when given. */
  listPage(filter: { institutionId?: string; role?: Role }, page: PageQuery): Promise<Page<User>> {
    const query = this.dataSource.manager.createQueryBuilder(User, 'user');
    if (filter.institutionId) query.andWhere('user.institutionId = :institutionId', { institutionId: filter.institutionId });
    if (filter.role) query.andWhere('user.role = :role', { role: filter.role });
    return paginate(query, page, [['user.email', (user) => user.email]]);
  }
}
