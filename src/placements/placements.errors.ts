import { defineErrors } from '../common/errors/define-errors.js';
import type { PlacementStatus } from './placement.entity.js';
import type { HardRule } from './matching.js';

export const placementCatalogue = defineErrors('placement', {
  codes: {
    'placement.not_found': { status: 404, title: { en: 'Placement not found', fr: 'Placement introuvable', ru: 'Размещение не найдено' } },
    'placement.invalid_transition': { status: 409, title: { en: 'A placement in status {status} cannot {transition}', fr: 'Un placement au statut {status} ne permet pas {transition}', ru: 'Размещение в статусе {status} не допускает {transition}' } },
    'placement.capacity_exceeded': {
      status: 409,
      title: { en: 'The family has no free bed on {day}: its {capacity} beds are taken', fr: "La famille n'a plus de lit libre le {day} : ses {capacity} lits sont pris", ru: 'У семьи нет свободного места {day}: все {capacity} мест заняты' },
    },
    'placement.already_placed': { status: 409, title: { en: 'This application already has a live placement', fr: 'Cette candidature a déjà un placement en cours', ru: 'У этой заявки уже есть действующее размещение' } },
    'placement.application_not_placeable': {
      status: 409,
      title: { en: 'Only an accepted or confirmed application is placed (status: {status})', fr: 'Seule une candidature acceptée ou confirmée est placée (statut : {status})', ru: 'Размещать можно только принятую или подтверждённую заявку (статус: {status})' },
    },
    'placement.no_host_family_accommodation': {
      status: 409,
      title: { en: "This programme's accommodation is not with host families", fr: "Ce programme ne prévoit pas d'hébergement en famille d'accueil", ru: 'Программа не предусматривает проживания в принимающих семьях' },
    },
    'placement.family_not_vetted': {
      status: 409,
      title: { en: 'This family is not approved with a valid vetting (status: {status})', fr: "Cette famille n'est pas approuvée avec une vérification valide (statut : {status})", ru: 'Семья не одобрена или её проверка недействительна (статус: {status})' },
    },
    'placement.program_has_placements': {
      status: 409,
      title: {
        en: 'Families host students of this programme from {startsOn} to {endsOn}: its stay must cover those days and its accommodation stay with families',
        fr: "Des familles accueillent des étudiants de ce programme du {startsOn} au {endsOn} : son séjour doit couvrir ces jours et son hébergement rester en famille",
        ru: 'Семьи принимают студентов этой программы с {startsOn} по {endsOn}: пребывание должно охватывать эти дни, а проживание оставаться в семьях',
      },
    },
    'placement.not_started': {
      status: 409,
      title: { en: 'This placement starts on {startsOn}: cancel it instead of ending it', fr: 'Ce placement commence le {startsOn} : annulez-le au lieu de le terminer', ru: 'Размещение начинается {startsOn}: отмените его вместо завершения' },
    },
    'placement.family_unsuitable': {
      status: 409,
      title: { en: 'This family breaks a rule of matching: {rules}', fr: 'Cette famille enfreint une règle de placement : {rules}', ru: 'Семья нарушает правило подбора: {rules}' },
    },
  },
  fields: {
    outsideStay: { en: 'must be within the programme’s stay ({startsOn} to {endsOn})', fr: 'doit être dans le séjour du programme (du {startsOn} au {endsOn})', ru: 'должна быть в пределах пребывания по программе (с {startsOn} по {endsOn})' },
    notBeforeStart: { en: 'must not be before startsOn', fr: 'ne doit pas être antérieur à startsOn', ru: 'не может быть раньше startsOn' },
    earlyEndNeedsReason: { en: 'is required to end a placement before its last day ({endsOn})', fr: 'est obligatoire pour terminer un placement avant son dernier jour ({endsOn})', ru: 'обязательна, чтобы завершить размещение до его последнего дня ({endsOn})' },
    rule_availability: { en: "the stay is outside the family's availability", fr: 'le séjour sort de la disponibilité de la famille', ru: 'пребывание выходит за пределы доступности семьи' },
    rule_pets: { en: 'the student is allergic to its pets', fr: "l'étudiant est allergique à ses animaux", ru: 'у студента аллергия на её животных' },
    rule_gender: { en: "the student's gender is not the family's preference", fr: "le genre de l'étudiant n'est pas celui que la famille préfère", ru: 'пол студента не соответствует предпочтению семьи' },
    rule_minors: { en: 'the family does not accept minors', fr: "la famille n'accueille pas de mineurs", ru: 'семья не принимает несовершеннолетних' },
  },
});

const { error, invalidField } = placementCatalogue;

/** The rules a family breaks that the proposal names (vetting and beds have their own codes). */
type NamedRule = Exclude<HardRule, 'vetted' | 'beds'>;
const RULE_MESSAGES: Record<NamedRule, string> = {
  availability: "the stay is outside the family's availability",
  pets: 'the student is allergic to its pets',
  gender: "the student's gender is not the family's preference",
  minors: 'the family does not accept minors',
};

export const PlacementErrors = {
  invalidTransition: (status: PlacementStatus, transition: string) => error('placement.invalid_transition', { status, transition }),
  capacityExceeded: (day: string, capacity: number) => error('placement.capacity_exceeded', { day, capacity }),
  alreadyPlaced: () => error('placement.already_placed'),
  programHasPlacements: (startsOn: string, endsOn: string) => error('placement.program_has_placements', { startsOn, endsOn }),
  notStarted: (startsOn: string) => error('placement.not_started', { startsOn }),
  applicationNotPlaceable: (status: string) => error('placement.application_not_placeable', { status }),
  noHostFamilyAccommodation: () => error('placement.no_host_family_accommodation'),
  familyNotVetted: (status: string) => error('placement.family_not_vetted', { status }),
  familyUnsuitable: (rules: NamedRule[]) =>
    error('placement.family_unsuitable', { rules: rules.join(', ') }, rules.map((rule) => ({ field: 'hostFamilyId', key: `rule_${rule}`, message: RULE_MESSAGES[rule] }))),
  outsideStay: (field: 'startsOn' | 'endsOn', startsOn: string, endsOn: string) => invalidField(field, 'outsideStay', `must be within the programme’s stay (${startsOn} to ${endsOn})`, { startsOn, endsOn }),
  endBeforeStart: () => invalidField('endsOn', 'notBeforeStart', 'must not be before startsOn'),
  earlyEndNeedsReason: (endsOn: string) => invalidField('reason', 'earlyEndNeedsReason', `is required to end a placement before its last day (${endsOn})`, { endsOn }),
};
