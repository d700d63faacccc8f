/**
 * The pure parts of erasure and retention: what replaces a person's data, how their name
 * and e-mail are found in texts others wrote (any case, HTML-escaped, inside JSON), and
 * the retention cutoffs.
 */
import { ERASED_NAME, REDACTED, erasedAddress, escapeHtml, isErasedAddress, jsonLikePatterns, likeEscape, mentions, needlesOf, scrubJson, scrubText } from '../../src/privacy/erasure.js';
import { daysBefore, retentionCutoffs, yearsBefore } from '../../src/privacy/retention.rules.js';

describe('erasure', () => {
  const id = '6f1c2b9e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';

  it('an erased account keeps a unique address that no mail server delivers to, recognisable as erased', () => {
    expect(erasedAddress(id)).toBe(`erased-${id}@invalid`);
    expect(erasedAddress(id.toUpperCase())).toBe(`erased-${id}@invalid`);
    expect(isErasedAddress(erasedAddress(id))).toBe(true);
    expect(isErasedAddress('erased-someone@invalid')).toBe(false);
    expect(isErasedAddress('anna@example.org')).toBe(false);
    expect(ERASED_NAME).not.toMatch(/@/);
  });

  it('escapes HTML as the mail templates do', () => {
    expect(escapeHtml(`O'Brien & <Søn> "Jr"`)).toBe('O&#39;Brien &amp; &lt;Søn&gt; &quot;Jr&quot;');
  });

  it('looks for each value as given and as HTML writes it, longest first, blank and very short ones left out', () => {
    expect(needlesOf(['  Zoé O\'Hara ', 'zoe@example.org', '', null, undefined, 'Al'])).toEqual(['zoe@example.org', 'Zoé O&#39;Hara', "Zoé O'Hara"]);
    expect(needlesOf(['Anna', 'Anna'])).toEqual(['Anna']);
  });

  it('replaces every occurrence in any case, leaves the rest of the text alone', () => {
    const needles = needlesOf(['Zoé Martin', 'zoe.martin@example.org']);
    expect(scrubText('Application of Zoé Martin (ZOÉ MARTIN, zoe.martin@EXAMPLE.org) received', needles)).toBe(`Application of ${REDACTED} (${REDACTED}, ${REDACTED}) received`);
    expect(scrubText('Nothing about her', needles)).toBe('Nothing about her');
    expect(scrubText('', needles)).toBe('');
    expect(scrubText('Zoé Martin', [])).toBe('Zoé Martin');
  });

  it('takes the characters of a name literally, not as a pattern', () => {
    const needles = needlesOf(['J. (Jo) Smith+']);
    expect(scrubText('Dear J. (Jo) Smith+,', needles)).toBe(`Dear ${REDACTED},`);
    expect(scrubText('Dear JX (Jo) Smith', needles)).toBe('Dear JX (Jo) Smith');
  });

  it('finds the name in a mail’s HTML, where the template escaped it', () => {
    const needles = needlesOf(["Siobhán O'Neill"]);
    expect(scrubText('<p>Siobhán O&#39;Neill submitted</p>', needles)).toBe(`<p>${REDACTED} submitted</p>`);
  });

  it('scrubs every string of a JSON value, keys left alone, and returns the same object when nothing changed', () => {
    const needles = needlesOf(['Zoé Martin']);
    const params = { studentName: 'Zoé Martin', programTitle: 'Semester', nested: [{ note: 'met zoé martin' }, 3, null, true], 'Zoé Martin': 1 };
    expect(scrubJson(params, needles)).toEqual({ studentName: REDACTED, programTitle: 'Semester', nested: [{ note: `met ${REDACTED}` }, 3, null, true], 'Zoé Martin': 1 });
    const untouched = { studentName: 'Someone else', list: ['a'] };
    expect(scrubJson(untouched, needles)).toBe(untouched);
    expect(scrubJson(null, needles)).toBeNull();
    expect(mentions('Hello ZOÉ MARTIN', needles)).toBe(true);
    expect(mentions(null, needles)).toBe(false);
  });

  it('LIKE patterns take the value literally, also as JSON writes it inside a string', () => {
    expect(likeEscape('50%_off\\')).toBe('50\\%\\_off\\\\');
    expect(jsonLikePatterns(['Line one\nline "two"'])).toEqual(['%Line one\nline "two"%', '%Line one\\\\nline \\\\"two\\\\"%']);
    expect(jsonLikePatterns(['', null, 'ab'])).toEqual([]);
  });
});

describe('retention cutoffs', () => {
  it('whole calendar years back; 29 February goes to 28 February', () => {
    expect(yearsBefore(new Date('2031-06-15T10:00:00.000Z'), 5).toISOString()).toBe('2026-06-15T10:00:00.000Z');
    expect(yearsBefore(new Date('2028-02-29T23:30:00.000Z'), 1).toISOString()).toBe('2027-02-28T23:30:00.000Z');
    expect(yearsBefore(new Date('2028-02-29T00:00:00.000Z'), 4).toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('days of 24 hours back', () => {
    expect(daysBefore(new Date('2027-03-01T00:00:00.000Z'), 365).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('both cutoffs from the settings', () => {
    const now = new Date('2031-01-10T12:00:00.000Z');
    expect(retentionCutoffs(now, { years: 5, documentDays: 365 })).toEqual({ people: new Date('2026-01-10T12:00:00.000Z'), documents: new Date('2030-01-10T12:00:00.000Z') });
  });
});
