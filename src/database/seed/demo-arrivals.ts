import type { EntityManager } from 'typeorm';
import { Application, ApplicationHistoryEntry, type ApplicationStatus, type TravelDetails } from '../../applications/application.entity.js';
import { ChecklistItem } from '../../arrivals/checklist-item.entity.js';
import { generateChecklist } from '../../arrivals/checklist.js';
import { academicYearOf } from '../../common/academic-year.js';
import { Placement } from '../../placements/placement.entity.js';
import { Program } from '../../programs/program.entity.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

interface DemoArrival {
  student: string;
  /** `from>to` of the autumn programme */
  program: 'lhp>krd-school' | 'krd-school>lhp';
  family: string;
  /** arrival relative to the first start, in hours */
  arrivesInHours: number;
  travel: Omit<TravelDetails, 'arrivalAt'>;
  /** checked in (with its checklist, the items due first done) */
  arrived?: boolean;
  dateOfBirth: string;
}

/**
 * The autumn exchange of the two schools, under way on the day of the first start: in
 * Krasnodar one pupil arrived three days ago (checklist half done), one arrives in two days
 * and one next week; in Nancy one is overdue (due yesterday morning, not checked in) and
 * one arrives in four days. All placed with families.
 */
const ARRIVALS: DemoArrival[] = [
  { student: 'manon.chevalier@lycee-poincare.example', program: 'lhp>krd-school', family: 'kuznetsov', arrivesInHours: -72, arrived: true, dateOfBirth: '2009-10-04', travel: { transportMode: 'plane', reference: 'SU 1140', arrivalPoint: 'Krasnodar airport (KRR)', needsPickup: true } },
  { student: 'ines.garnier@lycee-poincare.example', program: 'lhp>krd-school', family: 'kuznetsov', arrivesInHours: 50, dateOfBirth: '2010-02-11', travel: { transportMode: 'plane', reference: 'SU 1142', arrivalPoint: 'Krasnodar airport (KRR)', needsPickup: true } },
  { student: 'theo.fontaine@lycee-poincare.example', program: 'lhp>krd-school', family: 'popov', arrivesInHours: 9 * 24 + 5, dateOfBirth: '2009-07-22', travel: { transportMode: 'train', reference: '104С', arrivalPoint: 'Krasnodar-1 railway station', needsPickup: false } },
  { student: 'artem.belov@gym36.example', program: 'krd-school>lhp', family: 'lambert', arrivesInHours: -30, dateOfBirth: '2010-05-30', travel: { transportMode: 'plane', reference: 'AF 1532', arrivalPoint: 'Metz-Nancy-Lorraine airport (ETZ)', needsPickup: true } },
  { student: 'sofia.morozova@gym36.example', program: 'krd-school>lhp', family: 'girard', arrivesInHours: 4 * 24 + 3, dateOfBirth: '2009-12-01', travel: { transportMode: 'train', reference: 'TGV 2613', arrivalPoint: 'Gare de Nancy', needsPickup: false } },
];

export async function seedDemoArrivals(
  manager: EntityManager,
  institutions: Map<string, string>,
  schoolExchange: Program,
  users: Map<string, { id: string }>,
  coordinators: Map<string, string>,
  families: Map<string, string>,
  now = Date.now(),
): Promise<void> {
  const startsOn = isoDate(now - 5 * DAY);
  const endsOn = isoDate(now + 95 * DAY);
  const programs = new Map<string, Program>();
  for (const [key, title, from, to] of [
    ['lhp>krd-school', 'Autumn term in a Krasnodar family', 'lhp', 'krd-school'],
    ['krd-school>lhp', 'Autumn term in a Nancy family', 'krd-school', 'lhp'],
  ] as const) {
    const inserted = await manager.insert(Program, {
      agreementId: schoolExchange.agreementId,
      title,
      description: 'Three months with a host family and the partner school, under way.',
      sendingInstitutionId: institutions.get(from)!,
      receivingInstitutionId: institutions.get(to)!,
      academicYear: academicYearOf(startsOn),
      startsOn,
      endsOn,
      applicationOpensAt: new Date(now - 90 * DAY),
      applicationClosesAt: new Date(now - 30 * DAY),
      seats: 2 + (from === 'lhp' ? 1 : 0),
      languageRequirement: { language: to === 'lhp' ? 'fr' : 'ru', minLevel: 'A2' },
      requiredDocuments: [],
      accommodation: 'host_family',
      requiresLearningAgreement: false,
      status: 'published',
      createdBy: coordinators.get(from)!,
    });
    programs.set(key, await manager.findOneByOrFail(Program, { id: inserted.identifiers[0].id as string }));
  }

  for (const demo of ARRIVALS) {
    const program = programs.get(demo.program)!;
    const [from, to] = demo.program.split('>');
    const student = users.get(demo.student)!;
    const sending = coordinators.get(from)!;
    const receiving = coordinators.get(to)!;
    const arrivalAt = new Date(now + demo.arrivesInHours * HOUR);
    const status: ApplicationStatus = demo.arrived ? 'arrived' : 'confirmed';
    const travel: TravelDetails = { arrivalAt: arrivalAt.toISOString(), ...demo.travel };
    const inserted = await manager.insert(Application, {
      programId: program.id,
      studentId: student.id,
      sendingInstitutionId: program.sendingInstitutionId,
      receivingInstitutionId: program.receivingInstitutionId,
      status,
      motivation: 'Living with a family and going to the partner school every day.',
      languageLevels: [{ language: to === 'lhp' ? 'fr' : 'ru', level: 'A2' }],
      dateOfBirth: demo.dateOfBirth,
      matchingProfile: { languages: [to === 'lhp' ? 'ru' : 'fr'], diet: [], allergies: [], smoker: false, notes: '' },
      submittedAt: new Date(now - 60 * DAY),
      nominatedAt: new Date(now - 50 * DAY),
      acceptedAt: new Date(now - 40 * DAY),
      travel,
      expectedArrivalAt: arrivalAt,
      arrivedAt: demo.arrived ? arrivalAt : null,
    });
    const applicationId = inserted.identifiers[0].id as string;
    const path: [string, ApplicationStatus | null, ApplicationStatus, string, string][] = [
      ['create', null, 'draft', student.id, 'student'],
      ['submit', 'draft', 'submitted', student.id, 'student'],
      ['nominate', 'submitted', 'nominated', sending, 'coordinator'],
      ['accept', 'nominated', 'accepted', receiving, 'coordinator'],
      ['confirm', 'accepted', 'confirmed', student.id, 'student'],
      ...(demo.arrived ? [['check-in', 'confirmed', 'arrived', receiving, 'coordinator'] as [string, ApplicationStatus, ApplicationStatus, string, string]] : []),
    ];
    for (const [action, fromStatus, toStatus, actorId, actorRole] of path) {
      await manager.insert(ApplicationHistoryEntry, { applicationId, action, fromStatus, toStatus, actorId, actorRole, comment: null, reason: null, details: null });
    }
    const hostFamilyId = families.get(demo.family)!;
    await manager.insert(Placement, {
      applicationId,
      hostFamilyId,
      studentId: student.id,
      receivingInstitutionId: program.receivingInstitutionId,
      startsOn: program.startsOn,
      endsOn: program.endsOn,
      status: 'accepted',
      acceptedAt: new Date(now - 20 * DAY),
      proposedById: receiving,
    });
    if (demo.arrived) {
      const receivingInstitution = (await manager.query('SELECT country, timezone FROM institutions WHERE id = $1', [program.receivingInstitutionId]))[0] as { country: string; timezone: string };
      const items = generateChecklist({ country: receivingInstitution.country, timeZone: receivingInstitution.timezone, arrivedAt: arrivalAt, stayEndsOn: program.endsOn, studentIsAdult: false, placedWithFamily: true });
      // The first half, by due date, done on the day after arrival.
      const done = Math.floor(items.length / 2);
      await manager.insert(
        ChecklistItem,
        items.map((item, i) => ({
          applicationId,
          ...item,
          hostFamilyId,
          completedAt: i < done ? new Date(arrivalAt.getTime() + DAY) : null,
          completedById: i < done ? receiving : null,
          completedByRole: i < done ? 'coordinator' : null,
          note: i < done ? 'Done with the family.' : null,
        })),
      );
    }
  }
}
