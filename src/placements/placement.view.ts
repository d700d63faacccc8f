import { seesPrivateFields } from '../applications/application.rules.js';
import type { Caller } from '../common/http/caller.js';
import type { PlacementView } from './dto/placement.dto.js';
import { studentProfileOf } from './matching.js';
import { LIVE_PLACEMENT, type Placement } from './placement.entity.js';
import { placementPartiesOf, seesFamilyContact } from './placement.rules.js';
import { placementLifecycle } from './placement.state-machine.js';

/**
 * A placement as the caller may see it. Of the student: name, age band, languages, diet,
 * allergies (what a family needs; never documents, motivation, date of birth or other
 * applications). Of the family: its name, and its address and contact for the managing
 * institution's staff, the family itself, and the student while the placement is accepted.
 * Loaded with its application and family (placements.repository.ts).
 */
export function placementView(placement: Placement, caller: Caller): PlacementView {
  const application = placement.application!;
  const family = placement.hostFamily!;
  const profile = studentProfileOf(application, placement.startsOn);
  const private_ = seesPrivateFields(caller);
  const view: PlacementView = {
    id: placement.id,
    applicationId: placement.applicationId,
    hostFamilyId: placement.hostFamilyId,
    receivingInstitutionId: placement.receivingInstitutionId,
    status: placement.status,
    startsOn: placement.startsOn,
    endsOn: placement.endsOn,
    endedOn: placement.endedOn,
    reason: placement.reason,
    acceptedAt: placement.acceptedAt?.toISOString() ?? null,
    student: {
      id: placement.studentId,
      fullName: application.student?.fullName ?? '',
      ageBand: profile.minor ? 'minor' : 'adult',
      // The matching profile is not host-school staff's to read, here as on the application (seesPrivateFields).
      languages: private_ ? profile.languages : [],
      diet: private_ ? (application.matchingProfile?.diet ?? []) : [],
      allergies: private_ ? (application.matchingProfile?.allergies ?? []) : [],
    },
    family: { id: family.id, displayName: family.displayName },
    // The travel details once given: the family meets the student (a family whose placement is over no longer follows them).
    travel: caller.role !== 'host_family' || LIVE_PLACEMENT.includes(placement.status) ? application.travel : null,
    allowedTransitions: placementLifecycle.allowed(placement.status, placementPartiesOf(caller, placement)),
    createdAt: placement.createdAt.toISOString(),
    updatedAt: placement.updatedAt.toISOString(),
  };
  if (seesFamilyContact(caller, placement)) {
    view.family.address = { line1: family.address.line1, city: family.address.city, postalCode: family.address.postalCode, country: family.address.country };
    view.family.contactEmail = family.contactEmail;
    view.family.contactPhone = family.contactPhone;
  }
  return view;
}
