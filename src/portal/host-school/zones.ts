/** Names in the reader's language (times on a zone's clocks: ../zoned-time.ts). */

/** ISO 639-1 codes as language names in the reader's language (`fr` → "French", "français", "французский"). */
export function languageNames(locale: string): (codes: readonly string[] | null | undefined) => string {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale], { type: 'language' });
  } catch {
    names = null;
  }
  return (codes) => (codes ?? []).map((code) => (names ? (safeName(names, code) ?? code) : code)).join(', ');
}

function safeName(names: Intl.DisplayNames, code: string): string | undefined {
  try {
    return names.of(code);
  } catch {
    return undefined;
  }
}
