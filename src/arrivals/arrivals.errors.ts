import { defineErrors } from '../common/errors/define-errors.js';

export const arrivalCatalogue = defineErrors('arrival', {
  codes: {
    'arrival.travel_not_editable': {
      status: 409,
      title: { en: 'Travel details are given once the place is confirmed, until check-in (status: {status})', fr: "Les détails du voyage se donnent une fois la place confirmée, jusqu'à l'arrivée (statut : {status})", ru: 'Данные о поездке указываются после подтверждения места и до прибытия (статус: {status})' },
    },
    'arrival.placement_undecided': {
      status: 409,
      title: { en: "The student's placement is still proposed: the family accepts or declines it before check-in", fr: "Le placement de l'étudiant est encore proposé : la famille l'accepte ou le refuse avant l'arrivée", ru: 'Размещение студента ещё только предложено: семья принимает или отклоняет его до прибытия' },
    },
  },
  fields: {
    beforeArrivalWindow: { en: 'must not be before {from}, when arrivals for this programme open', fr: 'ne doit pas être antérieur au {from}, ouverture des arrivées de ce programme', ru: 'не может быть раньше {from}, когда начинаются прибытия по этой программе' },
    afterStay: { en: 'must not be after the end of the stay ({endsOn})', fr: 'ne doit pas être après la fin du séjour ({endsOn})', ru: 'не может быть позже окончания пребывания ({endsOn})' },
  },
});

export const ArrivalErrors = {
  travelNotEditable: (status: string) => arrivalCatalogue.error('arrival.travel_not_editable', { status }),
  beforeArrivalWindow: (from: string, field = 'arrivedAt') => arrivalCatalogue.invalidField(field, 'beforeArrivalWindow', `must not be before ${from}, when arrivals for this programme open`, { from }),
  afterStay: (field: string, endsOn: string) => arrivalCatalogue.invalidField(field, 'afterStay', `must not be after the end of the stay (${endsOn})`, { endsOn }),
  placementUndecided: () => arrivalCatalogue.error('arrival.placement_undecided'),
};
