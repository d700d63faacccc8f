import { agreementFields, agreementFormErrors, agreementFormOf } from '../../src/portal/partnerships/agreement-form.js';
import { flowsChart } from '../../src/portal/partnerships/flows-chart.js';
import { programFormFrom, programFormOf, updateProgramFields } from '../../src/portal/partnerships/program-form.js';
import { instantToLocal, localToInstant, localToOffsetTime } from '../../src/portal/zoned-time.js';
import type { ProgramView } from '../../src/programs/dto/program.dto.js';
import type { FlowRowView } from '../../src/reports/dto/flows.dto.js';

describe('the portal’s datetime-local values in a named zone', () => {
  it('reads a wall-clock time on the zone’s clocks, winter and summer time alike', () => {
    expect(localToInstant('2027-01-15T09:00', 'Europe/Paris')).toBe('2027-01-15T08:00:00.000Z');
    expect(localToInstant('2027-06-30T18:00', 'Europe/Paris')).toBe('2027-06-30T16:00:00.000Z');
    expect(localToInstant('2027-01-15T09:00', 'Europe/Moscow')).toBe('2027-01-15T06:00:00.000Z');
    expect(localToInstant('2027-01-15T09:00:30', 'UTC')).toBe('2027-01-15T09:00:30.000Z');
    // The hour repeated when summer time ends: its first occurrence; the hour skipped when it begins: the offset before.
    expect(localToInstant('2027-10-31T02:30', 'Europe/Paris')).toBe('2027-10-31T00:30:00.000Z');
    expect(localToInstant('2027-03-28T02:30', 'Europe/Paris')).toBe('2027-03-28T01:30:00.000Z');
  });

  it('refuses what is no time on a real day', () => {
    for (const value of ['', '2027-02-30T09:00', '2027-01-15T24:00', '2027-01-15 09:00', '2027-01-15T09:00Z', 'tomorrow']) expect(localToInstant(value, 'Europe/Paris')).toBeNull();
  });

  it('writes an instant back as the zone reads it', () => {
    expect(instantToLocal('2027-06-30T21:59:59Z', 'Europe/Paris')).toBe('2027-06-30T23:59');
    expect(instantToLocal('2027-01-15T08:00:00.000Z', 'Europe/Paris')).toBe('2027-01-15T09:00');
    expect(instantToLocal('2027-12-31T22:30:00Z', 'Europe/Moscow')).toBe('2028-01-01T01:30');
    expect(instantToLocal(null, 'Europe/Moscow')).toBe('');
    expect(instantToLocal('not a time', 'Europe/Moscow')).toBe('');
  });

  it('keeps the offset it read a time with, where the offset is kept (travel details)', () => {
    expect(localToOffsetTime('2027-09-01T14:35', 'Europe/Moscow')).toBe('2027-09-01T14:35:00+03:00');
    expect(localToOffsetTime('2027-01-15T09:00', 'Europe/Paris')).toBe('2027-01-15T09:00:00+01:00');
    expect(localToOffsetTime('2027-07-15T09:00', 'America/Sao_Paulo')).toBe('2027-07-15T09:00:00-03:00');
    expect(localToOffsetTime(' tomorrow ', 'Europe/Paris')).toBe('tomorrow');
  });
});

describe('the agreement form and the API’s DTO', () => {
  const own = '11111111-1111-4111-8111-111111111111';
  const other = '22222222-2222-4222-8222-222222222222';

  it('maps the posted form into the DTO’s fields, leaving out empty selects and rows, and the DTO’s errors back onto the inputs', () => {
    const form = agreementFormOf(
      {
        title: 'T',
        partner0: other, // a coordinator's own institution is the first partner, whatever is posted
        partner1: '',
        partner2: other,
        startsOn: '2027-01-01',
        endsOn: '',
        'quotas[0].fromInstitutionId': '',
        'quotas[0].seats': '',
        'quotas[3].fromInstitutionId': own,
        'quotas[3].toInstitutionId': other,
        'quotas[3].academicYear': '2027/2028',
        'quotas[3].seats': 'ten',
      },
      own,
    );
    expect(form.quotas).toHaveLength(6);
    const { fields, partnerSlots, quotaRows } = agreementFields(form);
    expect(fields).toEqual({
      title: 'T',
      partnerInstitutionIds: [own, other],
      startsOn: '2027-01-01',
      endsOn: undefined,
      quotas: [{ fromInstitutionId: own, toInstitutionId: other, academicYear: '2027/2028', seats: 'ten' }],
    });
    expect(agreementFormErrors({ 'partnerInstitutionIds[1]': 'unknown', 'quotas[0].seats': 'must be an integer', 'quotas[0]': 'repeats', quotas: 'too many', endsOn: 'required' }, partnerSlots, quotaRows)).toEqual({
      partner2: 'unknown',
      'quotas[3].seats': 'must be an integer',
      'quotas[3]': 'repeats',
      quotas: 'too many',
      endsOn: 'required',
    });
  });
});

describe('the programme form', () => {
  const program: ProgramView = {
    id: 'p',
    agreementId: 'a',
    title: 'Semester',
    description: '',
    sendingInstitutionId: 's',
    receivingInstitutionId: 'r',
    academicYear: '2027/2028',
    startsOn: '2027-09-01',
    endsOn: '2028-01-31',
    applicationOpensAt: '2027-01-15T08:00:00.000Z',
    applicationClosesAt: '2027-06-30T21:59:59.000Z',
    seats: 3,
    languageRequirement: { language: 'fr', minLevel: 'B1' },
    requiredDocuments: ['passport', 'transcript'],
    accommodation: 'none',
    requiresLearningAgreement: true,
    status: 'published',
    isOpen: true,
    createdAt: '',
    updatedAt: '',
  };

  it('sends only what was changed on an edit: a window shown to the minute is no change', () => {
    const current = programFormFrom(program, 'Europe/Paris');
    expect(current.applicationClosesAt).toBe('2027-06-30T23:59');
    const posted = programFormOf({ ...current, 'languageRequirement.language': 'fr', 'languageRequirement.minLevel': 'B1', requiredDocuments: ['transcript', 'passport'], requiresLearningAgreement: 'true', seats: '4' });
    expect(updateProgramFields(posted, current, 'Europe/Paris')).toEqual({ seats: 4 });
  });

  it('removes the language requirement when both its fields are emptied, and sends an emptied field empty', () => {
    const current = programFormFrom(program, 'UTC');
    const posted = programFormOf({ ...current, 'languageRequirement.language': '', 'languageRequirement.minLevel': '', requiredDocuments: current.requiredDocuments, requiresLearningAgreement: 'true', startsOn: '' });
    expect(updateProgramFields(posted, current, 'UTC')).toEqual({ startsOn: '', languageRequirement: null });
  });
});

describe('the flows chart', () => {
  const row = (quota: number, seatsOffered: number, placed: number, title = 'A') =>
    ({ agreement: { id: 'x', title, status: 'active' }, from: { shortName: 'F' }, to: { shortName: 'T' }, academicYear: '2027/2028', quota, seatsOffered, placed }) as unknown as FlowRowView;

  it('draws the three measures of every direction on one scale, zeros as hairlines', () => {
    const chart = flowsChart([row(10, 5, 0), row(4, 4, 2, 'B'.repeat(80))]);
    expect(chart.groups).toHaveLength(2);
    const [first, second] = chart.groups;
    expect(first.bars.map((b) => [b.measure, b.value])).toEqual([
      ['quota', 10],
      ['seatsOffered', 5],
      ['placed', 0],
    ]);
    expect(first.bars[1].width * 2).toBeCloseTo(first.bars[0].width, 0);
    expect(first.bars[2].width).toBe(1);
    expect(second.y).toBeGreaterThan(first.bars[2].y);
    expect(second.title).toHaveLength(44);
    expect(second.direction).toBe('F → T · 2027/2028');
    expect(chart.height).toBeGreaterThan(second.bars[2].y);
  });
});
