import { Lifecycle, type TransitionRow } from '../common/lifecycle/lifecycle.js';
import type { PlacementStatus } from './placement.entity.js';

/**
 * The placement lifecycle (SPEC section 3), in the application's shape: proposed →
 * accepted (the family, or a coordinator on its behalf) | declined (with a reason);
 * cancelled by the receiving coordinator (reason); ended once accepted (early only with a
 * reason, placements.service.ts).
 */
export const PLACEMENT_TRANSITIONS = ['accept', 'decline', 'cancel', 'end'] as const;
export type PlacementTransitionName = (typeof PLACEMENT_TRANSITIONS)[number];

/** `family`: the family's own users; `coordinator`: the receiving institution's coordinators (admins too). */
export type PlacementParty = 'family' | 'coordinator';

export type PlacementTransition = TransitionRow<PlacementStatus, PlacementTransitionName, PlacementParty>;

export const placementLifecycle = new Lifecycle<PlacementStatus, PlacementTransitionName, PlacementParty>('placement', PLACEMENT_TRANSITIONS, [
  { name: 'accept', from: ['proposed'], to: 'accepted', by: ['family', 'coordinator'] },
  { name: 'decline', from: ['proposed'], to: 'declined', by: ['family', 'coordinator'], needsReason: true },
  { name: 'cancel', from: ['proposed', 'accepted'], to: 'cancelled', by: ['coordinator'], needsReason: true },
  { name: 'end', from: ['accepted'], to: 'ended', by: ['coordinator'] },
]);
