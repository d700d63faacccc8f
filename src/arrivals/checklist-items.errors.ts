import { defineErrors } from '../common/errors/define-errors.js';

export const checklistItemCatalogue = defineErrors('checklist_item', {
  codes: {
    'checklist_item.not_found': { status: 404, title: { en: 'Checklist item not found', fr: 'Formalité introuvable', ru: 'Пункт списка не найден' } },
    'checklist_item.already_completed': { status: 409, title: { en: 'This item was already completed on {at}', fr: 'Cette formalité a déjà été accomplie le {at}', ru: 'Этот пункт уже выполнен {at}' } },
  },
});

export const ChecklistItemErrors = {
  alreadyCompleted: (at: Date) => checklistItemCatalogue.error('checklist_item.already_completed', { at: at.toISOString() }),
};
