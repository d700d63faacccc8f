import type { EntityManager } from 'typeorm';
import { Agreement, AgreementApproval, AgreementPartner, AgreementQuota } from '../../agreements/agreement.entity.js';
import { academicYearOf } from '../../common/academic-year.js';
import { Program, type Accommodation, type DocumentType } from '../../programs/program.entity.js';

const DAY = 86_400_000;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Years `2026/2027`, `2027/2028` and those of the demo programmes. */
function quotaYears(programYears: string[]): string[] {
  return [...new Set(['2026/2027', '2027/2028', ...programYears])].sort();
}

interface DemoAgreement {
  title: string;
  partners: string[];
  seats: number;
  programs: { title: string; description: string; from: string; to: string; seats: number; accommodation: Accommodation; requiresLearningAgreement: boolean; language: string; level: 'A2' | 'B1' | 'B2'; documents: DocumentType[] }[];
}

const AGREEMENTS: DemoAgreement[] = [
  {
    title: 'Université de Lorraine – Kuban State University',
    partners: ['ul', 'kubsu'],
    seats: 6,
    programs: [
      { title: 'Semester in Krasnodar: economics and Russian', description: 'One semester of economics taught in Russian at Kuban State University, with Russian language courses.', from: 'ul', to: 'kubsu', seats: 4, accommodation: 'residence', requiresLearningAgreement: true, language: 'ru', level: 'B1', documents: ['transcript', 'motivation_letter', 'passport'] },
      { title: 'Semester in Nancy: engineering', description: 'One semester at the engineering schools of Université de Lorraine.', from: 'kubsu', to: 'ul', seats: 3, accommodation: 'residence', requiresLearningAgreement: true, language: 'fr', level: 'B2', documents: ['transcript', 'motivation_letter', 'passport', 'language_certificate'] },
    ],
  },
  {
    title: 'Trilateral cooperation Krasnodar – Nancy – Karlsruhe',
    partners: ['kubsu', 'ul', 'kit'],
    seats: 3,
    programs: [
      { title: 'Research stay at KIT', description: 'A research semester in the laboratories of the Karlsruhe Institute of Technology.', from: 'kubsu', to: 'kit', seats: 2, accommodation: 'residence', requiresLearningAgreement: true, language: 'de', level: 'B1', documents: ['transcript', 'motivation_letter', 'passport'] },
    ],
  },
  {
    title: 'School exchange Lycée Henri-Poincaré – Gymnasium No. 36',
    partners: ['lhp', 'krd-school'],
    seats: 10,
    programs: [
      { title: 'Three weeks in a Krasnodar family', description: 'Pupils of the Lycée Henri-Poincaré live with host families and attend Gymnasium No. 36.', from: 'lhp', to: 'krd-school', seats: 8, accommodation: 'host_family', requiresLearningAgreement: false, language: 'ru', level: 'A2', documents: ['passport', 'parental_consent', 'insurance'] },
      { title: 'Three weeks in a Nancy family', description: 'Pupils of Gymnasium No. 36 live with host families and attend the Lycée Henri-Poincaré.', from: 'krd-school', to: 'lhp', seats: 8, accommodation: 'host_family', requiresLearningAgreement: false, language: 'fr', level: 'A2', documents: ['passport', 'parental_consent', 'insurance'] },
    ],
  },
];

/**
 * The demo's partnerships: active agreements approved by every partner, quotas both ways,
 * and published programmes whose application window is open on the day the demo starts.
 */
export async function seedDemoPartnerships(manager: EntityManager, institutions: Map<string, string>, coordinators: Map<string, string>, adminId: string, now = Date.now()): Promise<Map<string, Program>> {
  const programs = new Map<string, Program>();
  const opensAt = new Date(now - 7 * DAY);
  const closesAt = new Date(now + 90 * DAY);
  const startsOn = isoDate(now + 120 * DAY);
  const endsOn = isoDate(now + 240 * DAY);
  const year = academicYearOf(startsOn);

  for (const demo of AGREEMENTS) {
    const created = await manager.insert(Agreement, {
      title: demo.title,
      status: 'active',
      startsOn: `${Number(year.slice(0, 4)) - 1}-09-01`,
      endsOn: `${Number(year.slice(0, 4)) + 4}-08-31`,
      version: 1,
      createdBy: coordinators.get(demo.partners[0]) ?? adminId,
    });
    const agreementId = created.identifiers[0].id as string;
    const partnerIds = demo.partners.map((key) => institutions.get(key)!);
    await manager.insert(AgreementPartner, partnerIds.map((institutionId, position) => ({ agreementId, institutionId, position })));
    const quotas = [];
    for (const academicYear of quotaYears([year])) {
      for (const from of partnerIds) for (const to of partnerIds) if (from !== to) quotas.push({ agreementId, fromInstitutionId: from, toInstitutionId: to, academicYear, seats: demo.seats });
    }
    await manager.insert(AgreementQuota, quotas);
    await manager.insert(
      AgreementApproval,
      demo.partners.map((key, i) => ({ agreementId, institutionId: institutions.get(key)!, approvedBy: coordinators.get(key) ?? adminId, approvedAt: new Date(now - (10 - i) * DAY), comment: null })),
    );
    for (const program of demo.programs) {
      const inserted = await manager.insert(Program, {
        agreementId,
        title: program.title,
        description: program.description,
        sendingInstitutionId: institutions.get(program.from)!,
        receivingInstitutionId: institutions.get(program.to)!,
        academicYear: year,
        startsOn,
        endsOn: program.accommodation === 'host_family' ? isoDate(now + 141 * DAY) : endsOn,
        applicationOpensAt: opensAt,
        applicationClosesAt: closesAt,
        seats: program.seats,
        languageRequirement: { language: program.language, minLevel: program.level },
        requiredDocuments: program.documents,
        accommodation: program.accommodation,
        requiresLearningAgreement: program.requiresLearningAgreement,
        status: 'published',
        createdBy: coordinators.get(program.from) ?? adminId,
      });
      programs.set(`${program.from}>${program.to}`, (await manager.findOneByOrFail(Program, { id: inserted.identifiers[0].id as string })));
    }
  }
  return programs;
}
