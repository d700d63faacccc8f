import type { ProgramView } from './dto/program.dto.js';
import type { ShownProgram } from './programs.repository.js';
import { effectiveStatus, isOpen } from './program.rules.js';

/** The programme as every caller who may see it sees it (status as read: a passed window reads as closed). */
export function programView(program: ShownProgram, now = new Date()): ProgramView {
  return {
    id: program.id,
    agreementId: program.agreementId,
    title: program.title,
    description: program.description,
    sendingInstitutionId: program.sendingInstitutionId,
    receivingInstitutionId: program.receivingInstitutionId,
    academicYear: program.academicYear,
    startsOn: program.startsOn,
    endsOn: program.endsOn,
    applicationOpensAt: program.applicationOpensAt.toISOString(),
    applicationClosesAt: program.applicationClosesAt.toISOString(),
    seats: program.seats,
    languageRequirement: program.languageRequirement,
    requiredDocuments: program.requiredDocuments,
    accommodation: program.accommodation,
    requiresLearningAgreement: program.requiresLearningAgreement,
    status: effectiveStatus(program, now),
    isOpen: isOpen(program, now),
    createdAt: program.createdAt.toISOString(),
    updatedAt: program.updatedAt.toISOString(),
  };
}
