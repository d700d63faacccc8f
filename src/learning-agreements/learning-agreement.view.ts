import type { LearningAgreementView } from './dto/learning-agreement.dto.js';
import type { LearningAgreement, LearningAgreementVersion } from './learning-agreement.entity.js';
import { learningAgreementStatus } from './learning-agreement.rules.js';

/** The current version of a learning agreement, with its derived status. */
export function learningAgreementView(agreement: LearningAgreement): LearningAgreementView {
  return {
    applicationId: agreement.applicationId,
    version: agreement.version,
    status: learningAgreementStatus(agreement),
    components: agreement.components,
    recognizedComponents: agreement.recognizedComponents,
    signatures: agreement.signatures,
    supersededAt: null,
    updatedAt: agreement.updatedAt.toISOString(),
  };
}

/** An archived version, with the status it had when superseded. */
export function learningAgreementVersionView(version: LearningAgreementVersion): LearningAgreementView {
  return {
    applicationId: version.applicationId,
    version: version.version,
    status: learningAgreementStatus(version),
    components: version.components,
    recognizedComponents: version.recognizedComponents,
    signatures: version.signatures,
    supersededAt: version.supersededAt.toISOString(),
    updatedAt: version.supersededAt.toISOString(),
  };
}
