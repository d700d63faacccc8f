import type { EntityManager } from 'typeorm';
import { ApplicationHistoryEntry, type ApplicationStatus } from '../../applications/application.entity.js';
import { addMonths, todayUtc } from '../../common/calendar.js';
import { HostFamily, HostFamilyVetting, type Address, type GenderPreference, type HostFamilyStatus } from '../../host-families/host-family.entity.js';
import { vettingExpiry } from '../../host-families/host-family.rules.js';
import { Placement, type PlacementStatus } from '../../placements/placement.entity.js';
import type { Program } from '../../programs/program.entity.js';

const DAY = 86_400_000;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

interface DemoFamily {
  key: string;
  /** the managing institution */
  institution: string;
  displayName: string;
  contactEmail: string;
  contactPhone: string;
  address: Address;
  capacity: number;
  languages: string[];
  petTypes: string[];
  smokingHousehold: boolean;
  dietsSupported: string[];
  acceptsMinors: boolean;
  genderPreference: GenderPreference;
  commuteMinutes: number;
  /** approved (vetted a month ago), expired (vetted 13 months ago), or pending_vetting */
  vetting: 'approved' | 'expired' | 'pending';
}

/**
 * Families of the school exchange: in Krasnodar for the Lycée Henri-Poincaré's pupils
 * (managed by Gymnasium No. 36) and in Nancy for Gymnasium No. 36's (managed by the lycée).
 * Among them one whose vetting has expired, one with a cat, and the Kuznetsovs (the demo
 * host-family account) with 2 beds, one taken.
 */
export const DEMO_FAMILIES: DemoFamily[] = [
  {
    key: 'kuznetsov',
    institution: 'krd-school',
    displayName: 'Семья Кузнецовых',
    contactEmail: 'kuznetsov.family@example.ru',
    contactPhone: '+7 861 200 10 10',
    address: { line1: 'ул. Красная, 45, кв. 12', city: 'Krasnodar', postalCode: '350000', country: 'RU' },
    capacity: 2,
    languages: ['ru', 'fr'],
    petTypes: [],
    smokingHousehold: false,
    dietsSupported: ['vegetarian'],
    acceptsMinors: true,
    genderPreference: 'any',
    commuteMinutes: 15,
    vetting: 'approved',
  },
  {
    key: 'popov',
    institution: 'krd-school',
    displayName: 'Семья Поповых',
    contactEmail: 'popov.family@example.ru',
    contactPhone: '+7 861 200 20 20',
    address: { line1: 'ул. Северная, 310', city: 'Krasnodar', postalCode: '350020', country: 'RU' },
    capacity: 1,
    languages: ['ru', 'en'],
    petTypes: ['cat'],
    smokingHousehold: false,
    dietsSupported: [],
    acceptsMinors: true,
    genderPreference: 'any',
    commuteMinutes: 25,
    vetting: 'approved',
  },
  {
    key: 'volkov',
    institution: 'krd-school',
    displayName: 'Семья Волковых',
    contactEmail: 'volkov.family@example.ru',
    contactPhone: '+7 861 200 30 30',
    address: { line1: 'ул. Ставропольская, 120', city: 'Krasnodar', postalCode: '350040', country: 'RU' },
    capacity: 2,
    languages: ['ru'],
    petTypes: [],
    smokingHousehold: true,
    dietsSupported: ['halal'],
    acceptsMinors: true,
    genderPreference: 'female',
    commuteMinutes: 35,
    vetting: 'expired',
  },
  {
    key: 'sokolov',
    institution: 'krd-school',
    displayName: 'Семья Соколовых',
    contactEmail: 'sokolov.family@example.ru',
    contactPhone: '+7 861 200 40 40',
    address: { line1: 'ул. Мира, 8', city: 'Krasnodar', postalCode: '350063', country: 'RU' },
    capacity: 1,
    languages: ['ru', 'de'],
    petTypes: [],
    smokingHousehold: false,
    dietsSupported: ['halal', 'vegetarian'],
    acceptsMinors: true,
    genderPreference: 'any',
    commuteMinutes: 10,
    vetting: 'pending',
  },
  {
    key: 'lambert',
    institution: 'lhp',
    displayName: 'Famille Lambert',
    contactEmail: 'famille.lambert@example.fr',
    contactPhone: '+33 3 83 10 20 30',
    address: { line1: '8 rue de la Source', city: 'Nancy', postalCode: '54000', country: 'FR' },
    capacity: 2,
    languages: ['fr', 'ru'],
    petTypes: [],
    smokingHousehold: false,
    dietsSupported: ['vegetarian'],
    acceptsMinors: true,
    genderPreference: 'any',
    commuteMinutes: 12,
    vetting: 'approved',
  },
  {
    key: 'girard',
    institution: 'lhp',
    displayName: 'Famille Girard',
    contactEmail: 'famille.girard@example.fr',
    contactPhone: '+33 3 83 40 50 60',
    address: { line1: '27 avenue du Général-Leclerc', city: 'Nancy', postalCode: '54000', country: 'FR' },
    capacity: 3,
    languages: ['fr', 'en'],
    petTypes: ['dog'],
    smokingHousehold: false,
    dietsSupported: [],
    acceptsMinors: true,
    genderPreference: 'any',
    commuteMinutes: 30,
    vetting: 'approved',
  },
];

const checkedOnOf = (vetting: DemoFamily['vetting'], now: number) => (vetting === 'expired' ? addMonths(todayUtc(new Date(now)), -13) : isoDate(now - 30 * DAY));

/** The families (before the users: the host-family account names its family); returns their ids by key. */
export async function seedDemoFamilies(manager: EntityManager, institutions: Map<string, string>, now = Date.now()): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const today = todayUtc(new Date(now));
  for (const { key, institution, vetting, ...family } of DEMO_FAMILIES) {
    const checkedOn = checkedOnOf(vetting, now);
    const status: HostFamilyStatus = vetting === 'pending' ? 'pending_vetting' : 'approved';
    const inserted = await manager.insert(HostFamily, {
      ...family,
      institutionId: institutions.get(institution)!,
      hasPets: family.petTypes.length > 0,
      availableFrom: today,
      availableTo: isoDate(now + 365 * DAY),
      status,
      vettingExpiresOn: vetting === 'pending' ? null : vettingExpiry(checkedOn),
    });
    ids.set(key, inserted.identifiers[0].id as string);
  }
  return ids;
}

/** The vettings of the vetted families, recorded by their institution's coordinator. */
export async function seedDemoVettings(manager: EntityManager, families: Map<string, string>, coordinators: Map<string, string>, now = Date.now()): Promise<void> {
  for (const { key, institution, vetting } of DEMO_FAMILIES) {
    const checkedOn = checkedOnOf(vetting, now);
    if (vetting !== 'pending') {
      await manager.insert(HostFamilyVetting, {
        hostFamilyId: families.get(key)!,
        backgroundCheckOn: checkedOn,
        homeVisitOn: checkedOn,
        outcome: 'approved',
        notes: 'Background check clear; guest room and shared bathroom seen on the home visit.',
        expiresOn: vettingExpiry(checkedOn),
        recordedById: coordinators.get(institution) ?? null,
        recorderRole: 'coordinator',
      });
    }
  }
}

/** Placements of the pupils going to Krasnodar: accepted with the Kuznetsovs, proposed to the Popovs, one declined. */
const DEMO_PLACEMENTS: { student: string; family: string; steps: { status: PlacementStatus; by: 'coordinator' | 'family'; reason?: string }[] }[] = [
  { student: 'chloe.moreau@lycee-poincare.example', family: 'kuznetsov', steps: [{ status: 'proposed', by: 'coordinator' }, { status: 'accepted', by: 'family' }] },
  { student: 'hugo.petit@lycee-poincare.example', family: 'popov', steps: [{ status: 'proposed', by: 'coordinator' }] },
  { student: 'lea.roux@lycee-poincare.example', family: 'popov', steps: [{ status: 'proposed', by: 'coordinator' }, { status: 'declined', by: 'family', reason: 'Our cat and a pupil allergic to animals would not get on.' }] },
];

export async function seedDemoPlacements(
  manager: EntityManager,
  applications: Map<string, { id: string; status: ApplicationStatus }>,
  students: Map<string, { id: string }>,
  families: Map<string, string>,
  program: Program,
  actors: { coordinator: string; familyUser: string },
): Promise<void> {
  for (const demo of DEMO_PLACEMENTS) {
    const application = applications.get(demo.student)!;
    const last = demo.steps[demo.steps.length - 1];
    const inserted = await manager.insert(Placement, {
      applicationId: application.id,
      hostFamilyId: families.get(demo.family)!,
      studentId: students.get(demo.student)!.id,
      receivingInstitutionId: program.receivingInstitutionId,
      startsOn: program.startsOn,
      endsOn: program.endsOn,
      status: last.status,
      acceptedAt: demo.steps.some((s) => s.status === 'accepted') ? new Date() : null,
      reason: last.reason ?? null,
      proposedById: actors.coordinator,
    });
    const placementId = inserted.identifiers[0].id as string;
    let from: PlacementStatus | null = null;
    for (const step of demo.steps) {
      const action = step.status === 'proposed' ? 'propose' : step.status === 'accepted' ? 'accept' : 'decline';
      await manager.insert(ApplicationHistoryEntry, {
        applicationId: application.id,
        action: `placement.${action}`,
        fromStatus: application.status,
        toStatus: application.status,
        actorId: step.by === 'family' ? actors.familyUser : actors.coordinator,
        actorRole: step.by === 'family' ? 'host_family' : 'coordinator',
        comment: null,
        reason: step.reason ?? null,
        details: { placementId, hostFamilyId: families.get(demo.family)!, from, to: step.status },
      });
      from = step.status;
    }
  }
}
