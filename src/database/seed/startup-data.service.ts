import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SETTINGS, type Settings } from '../../config/settings.js';
import { PasswordService } from '../../auth/password.service.js';
import { Institution } from '../../institutions/institution.entity.js';
import { User } from '../../users/user.entity.js';
import { UsersService } from '../../users/users.service.js';
import { DEMO_INSTITUTIONS, DEMO_PASSWORD, DEMO_USERS } from './demo-data.js';
import { seedDemoApplications } from './demo-applications.js';
import { seedDemoArrivals } from './demo-arrivals.js';
import { seedDemoFamilies, seedDemoPlacements, seedDemoVettings } from './demo-host-families.js';
import { seedDemoPartnerships } from './demo-partnerships.js';

/**
 * At start: makes sure the ADMIN_EMAIL admin exists with ADMIN_PASSWORD, and loads the demo
 * data into an empty database when SEED_DEMO is on. Both are idempotent.
 */
@Injectable()
export class StartupDataService implements OnApplicationBootstrap {
  private readonly logger = new Logger('StartupData');
  /** What the last start seeded, for main.ts to print. */
  seededDemoAccounts: { email: string; role: string; password: string }[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.seedDemo) await this.seedDemo();
    if (this.settings.adminEmail && this.settings.adminPassword) await this.ensureAdmin(this.settings.adminEmail, this.settings.adminPassword);
  }

  async ensureAdmin(email: string, password: string): Promise<void> {
    const existing = await this.dataSource.manager
      .createQueryBuilder(User, 'user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
    if (!existing) {
      await this.users.insert({ email, password, fullName: 'Administrator', role: 'admin', institutionId: null });
      this.logger.log('created the ADMIN_EMAIL admin account');
      return;
    }
    const changes: Partial<User> = {};
    if (existing.role !== 'admin') changes.role = 'admin';
    if (!(await this.passwords.verify(existing.passwordHash, password))) changes.passwordHash = await this.passwords.hash(password);
    if (Object.keys(changes).length) {
      await this.dataSource.manager.update(User, { id: existing.id }, changes);
      this.logger.log('updated the ADMIN_EMAIL admin account');
    }
  }

  /** Only on a database without any institution: demo data never mixes with real data. */
  async seedDemo(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // One start at a time may seed (several instances on one database).
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['exchange:seed-demo']);
      if ((await manager.count(Institution)) > 0) return;
      const ids = new Map<string, string>();
      for (const { key, ...institution } of DEMO_INSTITUTIONS) {
        const result = await manager.insert(Institution, { schacCode: null, erasmusCode: null, ...institution });
        ids.set(key, result.identifiers[0].id as string);
      }
      const passwordHash = await this.passwords.hash(DEMO_PASSWORD);
      // Families before users: the host-family account names its family.
      const families = await seedDemoFamilies(manager, ids);
      const coordinators = new Map<string, string>();
      const users = new Map<string, { id: string; role: string }>();
      let adminId = '';
      for (const user of DEMO_USERS) {
        const inserted = await manager.insert(User, {
          email: user.email,
          fullName: user.fullName,
          role: user.role,
          institutionId: user.institution ? ids.get(user.institution)! : null,
          locale: user.locale,
          passwordHash,
          hostFamilyId: user.hostFamily ? families.get(user.hostFamily)! : null,
        });
        const userId = inserted.identifiers[0].id as string;
        if (user.role === 'coordinator' && user.institution) coordinators.set(user.institution, userId);
        if (user.role === 'admin') adminId = userId;
        users.set(user.email, { id: userId, role: user.role });
      }
      await seedDemoVettings(manager, families, coordinators);
      const programs = await seedDemoPartnerships(manager, ids, coordinators, adminId);
      const institutionKeyOf = new Map([...ids].map(([key, id]) => [id, key]));
      const applications = await seedDemoApplications(manager, this.settings.dataDir, programs, users, coordinators, institutionKeyOf);
      const familyUser = DEMO_USERS.find((u) => u.role === 'host_family')!;
      await seedDemoPlacements(manager, applications, users, families, programs.get('lhp>krd-school')!, { coordinator: coordinators.get('krd-school')!, familyUser: users.get(familyUser.email)!.id });
      await seedDemoArrivals(manager, ids, programs.get('lhp>krd-school')!, users, coordinators, families);
      this.seededDemoAccounts = DEMO_USERS.map((u) => ({ email: u.email, role: u.role, password: DEMO_PASSWORD }));
      this.logger.log(`loaded demo data: ${DEMO_INSTITUTIONS.length} institutions, ${DEMO_USERS.length} users, agreements, open programmes, applications, host families, placements and arrivals`);
    });
  }
}
