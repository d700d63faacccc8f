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
    { href: '/portal/programs', key: 'student.nav.programs' },
    { href: '/portal/my/applications', key: 'student.nav.applications' },
    { href: '/portal/notifications', key: 'nav.notifications' },
    { href: '/portal/me/privacy', key: 'student.nav.privacy' },
  ],
  coordinator: [{ href: '/', key: 'nav.home' }],
  host_school: [{ href: '/', key: 'nav.home' }],
  host_family: [{ href: '/', key: 'nav.home' }],
  admin: [{ href: '/', key: 'nav.home' }],
};
