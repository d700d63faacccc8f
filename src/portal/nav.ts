import type { Caller } from '../common/http/caller.js';

/** A link of the main menu. */
export interface NavLink {
  href: string;
  key: string;
}

/** The main menu of each role: each role's pages add their links to its list (labels are i18n keys). */
export const NAV: Record<Caller['role'] | 'anonymous', NavLink[]> = {
  anonymous: [
    { href: '/sign-in', key: 'nav.signIn' },
    { href: '/register', key: 'nav.register' },
  ],
  student: [
    { href: '/', key: 'nav.home' },
    { href: '/portal/my/programs', key: 'student.nav.programs' },
    { href: '/portal/my/applications', key: 'student.nav.applications' },
    { href: '/portal/notifications', key: 'nav.notifications' },
    { href: '/portal/me/privacy', key: 'student.nav.privacy' },
  ],
  coordinator: [
    { href: '/', key: 'nav.home' },
    { href: '/portal/applications', key: 'coordinator.nav.applications' },
    { href: '/portal/host-families', key: 'coordinator.nav.hostFamilies' },
    { href: '/portal/agreements', key: 'nav.agreements' },
    { href: '/portal/programs', key: 'nav.programs' },
    { href: '/portal/reports/flows', key: 'nav.flows' },
    { href: '/portal/arrivals', key: 'nav.arrivals' },
    { href: '/portal/users', key: 'nav.users' },
  ],
  host_school: [
    { href: '/', key: 'nav.home' },
    { href: '/portal/arrivals', key: 'nav.arrivals' },
  ],
  host_family: [
    { href: '/', key: 'nav.home' },
    { href: '/portal/my-family', key: 'nav.myFamily' },
  ],
  admin: [
    { href: '/', key: 'nav.home' },
    { href: '/portal/admin/institutions', key: 'nav.institutions' },
    { href: '/portal/users', key: 'nav.users' },
    { href: '/portal/admin/audit', key: 'nav.audit' },
    { href: '/portal/agreements', key: 'nav.agreements' },
    { href: '/portal/programs', key: 'nav.programs' },
    { href: '/portal/reports/flows', key: 'nav.flows' },
    { href: '/portal/arrivals', key: 'nav.arrivals' },
    { href: '/portal/applications', key: 'coordinator.nav.applications' },
    { href: '/portal/host-families', key: 'coordinator.nav.hostFamilies' },
  ],
};
