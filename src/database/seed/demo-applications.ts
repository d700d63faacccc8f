import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { Application, ApplicationHistoryEntry, type ApplicationStatus, type MatchingProfile } from '../../applications/application.entity.js';
import { TRANSITIONS, type TransitionName } from '../../applications/application.state-machine.js';
import { Document } from '../../documents/document.entity.js';
import { LearningAgreement } from '../../learning-agreements/learning-agreement.entity.js';
import type { DocumentType, Program } from '../../programs/program.entity.js';

/** A one-page PDF, enough for a demo document. */
function demoPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

interface DemoApplication {
  student: string;
  program: string;
  /** Transitions taken, in order, from draft. */
  path: TransitionName[];
  documents: DocumentType[];
  motivation: string;
  languageLevels: { language: string; level: string }[];
  dateOfBirth: string;
  gender?: 'female' | 'male';
  learningAgreement?: 'draft' | 'approved';
  /** for host-family programmes: what matching reads */
  profile?: MatchingProfile;
}

const APPLICATIONS: DemoApplication[] = [
  {
    student: 'student@univ-lorraine.example',
    program: 'ul>kubsu',
    path: ['submit', 'nominate'],
    documents: ['transcript', 'motivation_letter', 'passport'],
    motivation: "I want to study economics in Russian and understand Krasnodar's regional development.",
    languageLevels: [{ language: 'ru', level: 'B1' }, { language: 'en', level: 'C1' }],
    dateOfBirth: '2004-05-12',
    learningAgreement: 'draft',
  },
  {
    student: 'emma.leroy@univ-lorraine.example',
    program: 'ul>kubsu',
    path: ['submit', 'nominate', 'accept'],
    documents: ['transcript', 'motivation_letter', 'passport'],
    motivation: 'Russian literature in its own language, and the economics courses of KubSU.',
    languageLevels: [{ language: 'ru', level: 'A2' }],
    dateOfBirth: '2005-01-30',
  },
  {
    student: 'student@kubsu.example',
    program: 'kubsu>ul',
    path: ['submit', 'nominate', 'accept'],
    documents: ['transcript', 'motivation_letter', 'passport', 'language_certificate', 'insurance'],
    motivation: "Les écoles d'ingénieurs de Nancy sont réputées en science des matériaux.",
    languageLevels: [{ language: 'fr', level: 'B2' }],
    dateOfBirth: '2003-11-02',
    learningAgreement: 'approved',
  },
  {
    student: 'pupil@gym36.example',
    program: 'krd-school>lhp',
    path: ['submit'],
    documents: ['passport', 'parental_consent', 'insurance'],
    motivation: 'Я хочу жить во французской семье и говорить по-французски каждый день.',
    languageLevels: [{ language: 'fr', level: 'A2' }],
    dateOfBirth: '2010-03-18',
    gender: 'male',
    profile: { languages: ['ru', 'fr'], diet: [], allergies: ['cats'], smoker: false, notes: 'Plays the violin.' },
  },
  {
    student: 'chloe.moreau@lycee-poincare.example',
    program: 'lhp>krd-school',
    path: ['submit', 'nominate', 'accept', 'confirm'],
    documents: ['passport', 'parental_consent', 'insurance'],
    motivation: 'Je veux vivre dans une famille russe et parler russe tous les jours.',
    languageLevels: [{ language: 'ru', level: 'A2' }],
    dateOfBirth: '2010-06-02',
    gender: 'female',
    profile: { languages: ['fr', 'ru'], diet: ['vegetarian'], allergies: [], smoker: false, notes: 'Plays football.' },
  },
  {
    student: 'hugo.petit@lycee-poincare.example',
    program: 'lhp>krd-school',
    path: ['submit', 'nominate', 'accept'],
    documents: ['passport', 'parental_consent', 'insurance'],
    motivation: 'La Russie, ses villes et sa langue me passionnent depuis longtemps.',
    languageLevels: [{ language: 'ru', level: 'A2' }],
    dateOfBirth: '2009-11-20',
    gender: 'male',
    profile: { languages: ['fr', 'en'], diet: [], allergies: [], smoker: false, notes: '' },
  },
  {
    student: 'lea.roux@lycee-poincare.example',
    program: 'lhp>krd-school',
    path: ['submit', 'nominate', 'accept'],
    documents: ['passport', 'parental_consent', 'insurance'],
    motivation: 'Je voudrais découvrir Krasnodar et améliorer mon russe.',
    languageLevels: [{ language: 'ru', level: 'B1' }],
    dateOfBirth: '2010-01-15',
    gender: 'female',
    profile: { languages: ['fr'], diet: ['halal'], allergies: ['dogs'], smoker: false, notes: 'Shy at first.' },
  },
];

/**
 * A few applications in different states, with their documents (files under
 * DATA_DIR/documents), history and learning agreements, so that a fresh start shows a
 * living system.
 */
export async function seedDemoApplications(
  manager: EntityManager,
  dataDir: string,
  programs: Map<string, Program>,
  users: Map<string, { id: string; role: string }>,
  coordinators: Map<string, string>,
  institutionKeyOf: Map<string, string>,
): Promise<Map<string, { id: string; status: ApplicationStatus }>> {
  const created = new Map<string, { id: string; status: ApplicationStatus }>();
  const folder = join(dataDir, 'documents');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  for (const demo of APPLICATIONS) {
    const program = programs.get(demo.program)!;
    const student = users.get(demo.student)!;
    const sendingCoordinator = coordinators.get(institutionKeyOf.get(program.sendingInstitutionId)!)!;
    const receivingCoordinator = coordinators.get(institutionKeyOf.get(program.receivingInstitutionId)!)!;
    let status: ApplicationStatus = 'draft';
    const moments: Partial<Application> = {};
    const history: Omit<ApplicationHistoryEntry, 'id' | 'seq' | 'createdAt' | 'application' | 'applicationId' | 'details'>[] = [
      { action: 'create', fromStatus: null, toStatus: 'draft', actorId: student.id, actorRole: 'student', comment: null, reason: null },
    ];
    for (const name of demo.path) {
      const transition = TRANSITIONS.find((t) => t.name === name && t.from.includes(status))!;
      const actor = transition.by[0] === 'student' ? student.id : transition.by[0] === 'sending' ? sendingCoordinator : receivingCoordinator;
      history.push({ action: name, fromStatus: status, toStatus: transition.to, actorId: actor, actorRole: transition.by[0] === 'student' ? 'student' : 'coordinator', comment: null, reason: null });
      status = transition.to;
      if (name === 'submit') moments.submittedAt = new Date();
      if (name === 'nominate') moments.nominatedAt = new Date();
      if (name === 'accept') moments.acceptedAt = new Date();
    }
    const inserted = await manager.insert(Application, {
      programId: program.id,
      studentId: student.id,
      sendingInstitutionId: program.sendingInstitutionId,
      receivingInstitutionId: program.receivingInstitutionId,
      status,
      motivation: demo.motivation,
      languageLevels: demo.languageLevels,
      dateOfBirth: demo.dateOfBirth,
      gender: demo.gender ?? null,
      matchingProfile: program.accommodation === 'host_family' ? (demo.profile ?? null) : null,
      ...moments,
    });
    const applicationId = inserted.identifiers[0].id as string;
    created.set(demo.student, { id: applicationId, status });
    for (const entry of history) await manager.insert(ApplicationHistoryEntry, { ...entry, applicationId });

    for (const type of demo.documents) {
      const content = demoPdf(`${type.replace(/_/g, ' ')} of ${demo.student}`);
      const storageKey = randomUUID();
      await writeFile(join(folder, storageKey), content, { mode: 0o600 });
      await manager.insert(Document, {
        applicationId,
        type,
        fileName: `${type}.pdf`,
        mediaType: 'application/pdf',
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        storageKey,
        uploadedBy: student.id,
      });
    }

    if (demo.learningAgreement) {
      const at = new Date().toISOString();
      await manager.insert(LearningAgreement, {
        applicationId,
        components: [
          { code: 'ECO-301', title: 'Regional economics', credits: 6, term: 'semester 1' },
          { code: 'RUS-210', title: 'Russian for academic purposes', credits: 4, term: 'semester 1' },
        ],
        recognizedComponents: [{ code: 'UE7', title: 'Mobility semester', credits: 10, term: 'semester 1' }],
        signatures:
          demo.learningAgreement === 'approved'
            ? [
                { party: 'student', signedBy: student.id, signedAt: at },
                { party: 'sending_coordinator', signedBy: sendingCoordinator, signedAt: at },
                { party: 'receiving_coordinator', signedBy: receivingCoordinator, signedAt: at },
              ]
            : [],
        updatedBy: student.id,
      });
    }
  }
  return created;
}
