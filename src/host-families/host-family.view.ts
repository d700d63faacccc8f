import type { Caller } from '../common/http/caller.js';
import type { HostFamilyView, VettingView } from './dto/host-family.dto.js';
import type { HostFamily, HostFamilyVetting } from './host-family.entity.js';
import { familyPartiesOf, isVetted, vettingExpired } from './host-family.rules.js';
import { hostFamilyLifecycle } from './host-family.state-machine.js';

/** Vetting notes (what the background check and the home visit found) are the coordinators' and admins'. */
export function vettingView(vetting: HostFamilyVetting, withNotes: boolean): VettingView {
  return {
    id: vetting.id,
    backgroundCheckOn: vetting.backgroundCheckOn,
    homeVisitOn: vetting.homeVisitOn,
    outcome: vetting.outcome,
    notes: withNotes ? vetting.notes : null,
    expiresOn: vetting.expiresOn,
    recordedBy: vetting.recordedById,
    recorderRole: vetting.recorderRole,
    recordedAt: vetting.recordedAt.toISOString(),
  };
}

/**
 * A family as a caller who may see it at all sees it: the managing institution's staff,
 * admins and the family's own users read the whole record, contact and address included
 * (SPEC section 2); the family's own users do not read the vetting notes or why it was
 * suspended.
 */
export function hostFamilyView(family: HostFamily, caller: Caller, vettings?: HostFamilyVetting[]): HostFamilyView {
  const parties = familyPartiesOf(caller, family);
  const allowed = hostFamilyLifecycle.allowed(family.status, parties);
  const view: HostFamilyView = {
    id: family.id,
    institutionId: family.institutionId,
    displayName: family.displayName,
    contactEmail: family.contactEmail,
    contactPhone: family.contactPhone,
    address: { line1: family.address.line1, city: family.address.city, postalCode: family.address.postalCode, country: family.address.country },
    capacity: family.capacity,
    languages: family.languages,
    hasPets: family.hasPets,
    petTypes: family.petTypes,
    smokingHousehold: family.smokingHousehold,
    dietsSupported: family.dietsSupported,
    acceptsMinors: family.acceptsMinors,
    genderPreference: family.genderPreference,
    availableFrom: family.availableFrom,
    availableTo: family.availableTo,
    commuteMinutes: family.commuteMinutes,
    status: family.status,
    vetted: isVetted(family),
    vettingExpiresOn: family.vettingExpiresOn,
    vettingExpired: vettingExpired(family),
    // The routes: vet (approve or reject, by its outcome) and suspend.
    allowedTransitions: [...(allowed.includes('approve') ? ['vet'] : []), ...(allowed.includes('suspend') ? ['suspend'] : [])],
    createdAt: family.createdAt.toISOString(),
    updatedAt: family.updatedAt.toISOString(),
  };
  if (caller.role !== 'host_family') {
    view.suspensionReason = family.suspensionReason;
    if (vettings) view.vettings = vettings.map((v) => vettingView(v, caller.role === 'admin' || caller.role === 'coordinator'));
  }
  return view;
}
