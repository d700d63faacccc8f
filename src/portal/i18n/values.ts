import type { Text } from '../../common/errors/define-errors.js';

/**
 * The words the API's error texts carry as values (`{status}`, `{transition}`), in the
 * reader's language on the portal's pages: `value.<resource>.<name>.<value>`, each written
 * to fit its place in the catalogue's sentence ("cannot {transition}": "be accepted";
 * "ne permet pas {transition}": "l'acceptation"; "не допускает {transition}": "принятие").
 * The API keeps the machine words; a value without a label here is shown as it is.
 */
export const values = {
  'value.application.status.draft': { en: 'draft', fr: 'brouillon', ru: 'черновик' },
  'value.application.status.submitted': { en: 'submitted', fr: 'déposée', ru: 'подана' },
  'value.application.status.nominated': { en: 'nominated', fr: 'nominée', ru: 'выдвинута' },
  'value.application.status.waitlisted': { en: 'waiting list', fr: "liste d'attente", ru: 'лист ожидания' },
  'value.application.status.accepted': { en: 'accepted', fr: 'acceptée', ru: 'принята' },
  'value.application.status.confirmed': { en: 'confirmed', fr: 'confirmée', ru: 'подтверждена' },
  'value.application.status.arrived': { en: 'arrived', fr: 'arrivée', ru: 'прибыл(а)' },
  'value.application.status.completed': { en: 'completed', fr: 'terminée', ru: 'завершена' },
  'value.application.status.rejected': { en: 'rejected', fr: 'refusée', ru: 'отклонена' },
  'value.application.status.declined': { en: 'declined', fr: 'déclinée', ru: 'отказ студента' },
  'value.application.status.withdrawn': { en: 'withdrawn', fr: 'retirée', ru: 'отозвана' },
  'value.application.status.cancelled': { en: 'cancelled', fr: 'annulée', ru: 'отменена' },
  'value.application.transition.submit': { en: 'be submitted', fr: 'le dépôt', ru: 'подачу' },
  'value.application.transition.nominate': { en: 'be nominated', fr: 'la nomination', ru: 'выдвижение' },
  'value.application.transition.reject': { en: 'be rejected', fr: 'le refus', ru: 'отклонение' },
  'value.application.transition.accept': { en: 'be accepted', fr: "l'acceptation", ru: 'принятие' },
  'value.application.transition.waitlist': { en: 'be put on the waiting list', fr: "la mise en liste d'attente", ru: 'включение в лист ожидания' },
  'value.application.transition.confirm': { en: 'be confirmed', fr: 'la confirmation', ru: 'подтверждение' },
  'value.application.transition.decline': { en: 'be declined', fr: 'le désistement', ru: 'отказ' },
  'value.application.transition.withdraw': { en: 'be withdrawn', fr: 'le retrait', ru: 'отзыв' },
  'value.application.transition.cancel': { en: 'be cancelled', fr: "l'annulation", ru: 'отмену' },
  'value.application.transition.check-in': { en: 'be checked in', fr: "l'enregistrement de l'arrivée", ru: 'отметку о прибытии' },
  'value.application.transition.complete': { en: 'be completed', fr: 'la clôture', ru: 'завершение' },
  'value.program.status.draft': { en: 'draft', fr: 'brouillon', ru: 'черновик' },
  'value.program.status.published': { en: 'published', fr: 'publié', ru: 'опубликована' },
  'value.program.status.closed': { en: 'closed', fr: 'clos', ru: 'закрыта' },
  'value.program.status.cancelled': { en: 'cancelled', fr: 'annulé', ru: 'отменена' },
  'value.agreement.status.draft': { en: 'draft', fr: 'brouillon', ru: 'черновик' },
  'value.agreement.status.active': { en: 'active', fr: 'en vigueur', ru: 'действует' },
  'value.agreement.status.terminated': { en: 'terminated', fr: 'résilié', ru: 'расторгнуто' },
  'value.placement.status.proposed': { en: 'proposed', fr: 'proposé', ru: 'предложено' },
  'value.placement.status.accepted': { en: 'accepted', fr: 'accepté', ru: 'принято' },
  'value.placement.status.declined': { en: 'declined', fr: 'refusé', ru: 'отклонено' },
  'value.placement.status.cancelled': { en: 'cancelled', fr: 'annulé', ru: 'отменено' },
  'value.placement.status.ended': { en: 'ended', fr: 'terminé', ru: 'завершено' },
  'value.placement.transition.accept': { en: 'be accepted', fr: "l'acceptation", ru: 'принятие' },
  'value.placement.transition.decline': { en: 'be declined', fr: 'le refus', ru: 'отклонение' },
  'value.placement.transition.cancel': { en: 'be cancelled', fr: "l'annulation", ru: 'отмену' },
  'value.placement.transition.end': { en: 'be ended', fr: 'la fin', ru: 'завершение' },
  'value.host_family.status.pending_vetting': { en: 'awaiting vetting', fr: 'en attente de vérification', ru: 'ожидает проверки' },
  'value.host_family.status.approved': { en: 'approved', fr: 'approuvée', ru: 'одобрена' },
  'value.host_family.status.rejected': { en: 'rejected', fr: 'refusée', ru: 'отклонена' },
  'value.host_family.status.suspended': { en: 'suspended', fr: 'suspendue', ru: 'приостановлена' },
  'value.host_family.status.vetting_expired': { en: 'vetting expired', fr: 'vérification expirée', ru: 'срок проверки истёк' },
  'value.host_family.transition.approve': { en: 'be approved', fr: "l'approbation", ru: 'одобрение' },
  'value.host_family.transition.reject': { en: 'be rejected', fr: 'le refus', ru: 'отклонение' },
  'value.host_family.transition.suspend': { en: 'be suspended', fr: 'la suspension', ru: 'приостановку' },
} satisfies Record<string, Text>;

/** Whose statuses an error's `{status}` names, where it is not the error's own resource. */
const STATUS_OF: Record<string, string> = {
  'placement.application_not_placeable': 'application',
  'placement.family_not_vetted': 'host_family',
  'application.not_editable': 'application',
};

/** An error's values in the reader's words (`{status}` and `{transition}`), for its text on a page. */
export function localizedParams(code: string, params: Record<string, string | number>, t: (key: string) => string): Record<string, string | number> {
  const resource = code.slice(0, code.indexOf('.'));
  const out: Record<string, string | number> = { ...params };
  for (const name of ['status', 'transition'] as const) {
    const value = params[name];
    if (typeof value !== 'string') continue;
    const key = `value.${name === 'status' ? (STATUS_OF[code] ?? resource) : resource}.${name}.${value}`;
    const label = t(key);
    if (label !== key) out[name] = label;
  }
  return out;
}
