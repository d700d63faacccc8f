import type { InstitutionView } from './dto/institution.dto.js';
import type { ShownInstitution } from './institutions.repository.js';

export function institutionView(institution: ShownInstitution): InstitutionView {
  const { id, name, shortName, city, country, kind, timezone, schacCode, erasmusCode } = institution;
  return { id, name, shortName, city, country, kind, timezone, schacCode, erasmusCode };
}
