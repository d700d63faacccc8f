import { Lifecycle, type TransitionRow } from '../common/lifecycle/lifecycle.js';
import type { HostFamilyStatus } from './host-family.entity.js';

/**
 * The host family lifecycle (SPEC section 3): pending_vetting → approved | rejected by a
 * vetting (`POST /host-families/{id}/vet` with its outcome); suspended by a coordinator
 * with a reason. A new vetting decides again from any status: renewing an approval,
 * reinstating a suspended family or reconsidering a rejected one.
 */
export const HOST_FAMILY_TRANSITIONS = ['approve', 'reject', 'suspend'] as const;
export type HostFamilyTransitionName = (typeof HOST_FAMILY_TRANSITIONS)[number];

/** `manager`: a coordinator of the managing institution (admins too); `family`: the family's own users. */
export type HostFamilyParty = 'manager' | 'family';

export type HostFamilyTransition = TransitionRow<HostFamilyStatus, HostFamilyTransitionName, HostFamilyParty>;

const ANY: readonly HostFamilyStatus[] = ['pending_vetting', 'approved', 'rejected', 'suspended'];

export const hostFamilyLifecycle = new Lifecycle<HostFamilyStatus, HostFamilyTransitionName, HostFamilyParty>('host_family', HOST_FAMILY_TRANSITIONS, [
  { name: 'approve', from: ANY, to: 'approved', by: ['manager'] },
  { name: 'reject', from: ANY, to: 'rejected', by: ['manager'] },
  { name: 'suspend', from: ['pending_vetting', 'approved'], to: 'suspended', by: ['manager'], needsReason: true },
]);
