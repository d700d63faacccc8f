import type { InstitutionView } from './dto/institution.dto.js';
import type { Institution } from './institution.entity.js';

export function institutionView(institution: Institution): InstitutionView {
  const { id, name, shortName, city, country, kind, timezone, schacCode, erasmusCode } = institution;
  return { id, name, shortName, city, country, kind, timezone, schacCode, erasmusCode };
}
