import type { InstitutionKind } from '../../institutions/institution.entity.js';
import type { Role } from '../../users/user.entity.js';

/** The shared password of every demo account (listed in README.md). */
export const DEMO_PASSWORD = 'exchange-demo-2026';

export const DEMO_INSTITUTIONS: { key: string; name: string; shortName: string; city: string; country: string; kind: InstitutionKind; timezone: string; schacCode?: string; erasmusCode?: string }[] = [
  { key: 'ul', name: 'Université de Lorraine', shortName: 'UL', city: 'Nancy', country: 'FR', kind: 'university', timezone: 'Europe/Paris', schacCode: 'univ-lorraine.fr', erasmusCode: 'F NANCY43' },
  { key: 'lhp', name: 'Lycée Henri-Poincaré', shortName: 'LHP', city: 'Nancy', country: 'FR', kind: 'school', timezone: 'Europe/Paris' },
  { key: 'kubsu', name: 'Kuban State University', shortName: 'KubSU', city: 'Krasnodar', country: 'RU', kind: 'university', timezone: 'Europe/Moscow', schacCode: 'kubsu.ru' },
  { key: 'krd-school', name: 'Krasnodar Gymnasium No. 36', shortName: 'Gym36', city: 'Krasnodar', country: 'RU', kind: 'school', timezone: 'Europe/Moscow' },
  { key: 'kit', name: 'Karlsruhe Institute of Technology', shortName: 'KIT', city: 'Karlsruhe', country: 'DE', kind: 'university', timezone: 'Europe/Berlin', schacCode: 'kit.edu', erasmusCode: 'D KARLSRU01' },
];

/** One account per role, and a coordinator for each university so that both sides can act. */
export const DEMO_USERS: { email: string; fullName: string; role: Role; institution: string | null; locale: 'en' | 'fr' | 'ru'; hostFamily?: string }[] = [
  { email: 'admin@exchange.example', fullName: 'Platform Admin', role: 'admin', institution: null, locale: 'en' },
  { email: 'coordinator@univ-lorraine.example', fullName: 'Claire Martin', role: 'coordinator', institution: 'ul', locale: 'fr' },
  { email: 'coordinator@kubsu.example', fullName: 'Irina Petrova', role: 'coordinator', institution: 'kubsu', locale: 'ru' },
  { email: 'coordinator@kit.example', fullName: 'Jonas Weber', role: 'coordinator', institution: 'kit', locale: 'en' },
  { email: 'coordinator@lycee-poincare.example', fullName: 'Sophie Bernard', role: 'coordinator', institution: 'lhp', locale: 'fr' },
  { email: 'coordinator@gym36.example', fullName: 'Olga Smirnova', role: 'coordinator', institution: 'krd-school', locale: 'ru' },
  { email: 'host-school@kubsu.example', fullName: 'Dmitri Ivanov', role: 'host_school', institution: 'kubsu', locale: 'ru' },
  { email: 'host-family@gym36.example', fullName: 'Elena Kuznetsova', role: 'host_family', institution: 'krd-school', locale: 'ru', hostFamily: 'kuznetsov' },
  { email: 'student@univ-lorraine.example', fullName: 'Lucas Durand', role: 'student', institution: 'ul', locale: 'fr' },
  { email: 'emma.leroy@univ-lorraine.example', fullName: 'Emma Leroy', role: 'student', institution: 'ul', locale: 'fr' },
  { email: 'student@kubsu.example', fullName: 'Anna Sokolova', role: 'student', institution: 'kubsu', locale: 'ru' },
  { email: 'pupil@gym36.example', fullName: 'Maxim Orlov', role: 'student', institution: 'krd-school', locale: 'ru' },
  { email: 'chloe.moreau@lycee-poincare.example', fullName: 'Chloé Moreau', role: 'student', institution: 'lhp', locale: 'fr' },
  { email: 'hugo.petit@lycee-poincare.example', fullName: 'Hugo Petit', role: 'student', institution: 'lhp', locale: 'fr' },
  { email: 'lea.roux@lycee-poincare.example', fullName: 'Léa Roux', role: 'student', institution: 'lhp', locale: 'fr' },
  // The autumn exchange, under way: arrivals this week and next (demo-arrivals.ts).
  { email: 'ines.garnier@lycee-poincare.example', fullName: 'Inès Garnier', role: 'student', institution: 'lhp', locale: 'fr' },
  { email: 'theo.fontaine@lycee-poincare.example', fullName: 'Théo Fontaine', role: 'student', institution: 'lhp', locale: 'fr' },
  { email: 'manon.chevalier@lycee-poincare.example', fullName: 'Manon Chevalier', role: 'student', institution: 'lhp', locale: 'fr' },
  { email: 'artem.belov@gym36.example', fullName: 'Artem Belov', role: 'student', institution: 'krd-school', locale: 'ru' },
  { email: 'sofia.morozova@gym36.example', fullName: 'Sofia Morozova', role: 'student', institution: 'krd-school', locale: 'ru' },
];
