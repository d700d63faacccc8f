/**
 * The document type comes from the bytes (magic numbers), a name may only agree with it,
 * and the given name is cut down to something safe to show.
 */
import { cleanFileName, nameMatches, sniffMediaType } from '../../src/documents/file-type.js';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...Buffer.from(v, 'latin1')] : [v])));

describe('sniffMediaType', () => {
  it.each([
    ['a PDF', bytes('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'), 'application/pdf'],
    ['a PDF 2.0', bytes('%PDF-2.0'), 'application/pdf'],
    ['a PNG', bytes(0x89, 'PNG\r\n\x1a\n', 0, 0, 0, 13, 'IHDR'), 'image/png'],
    ['a JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 'JFIF'), 'image/jpeg'],
    ['a JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1, 0, 16, 'Exif'), 'image/jpeg'],
    ['a bare PNG signature', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'image/png'],
  ])('recognises %s', (_what, content, mediaType) => {
    expect(sniffMediaType(content)).toBe(mediaType);
  });

  it.each([
    ['nothing', bytes()],
    ['plain text', bytes('hello, this is not a PDF')],
    ['"%PDF" without the dash', bytes('%PDF')],
    ['a PDF header after whitespace', bytes(' %PDF-1.4')],
    ['a lower-case %pdf-', bytes('%pdf-1.4')],
    ['a truncated PNG signature', bytes(0x89, 'PNG\r\n')],
    ['a PNG signature with one byte wrong', bytes(0x89, 'PNG\r\n\x1a\x0b')],
    ['two bytes of JPEG', bytes(0xff, 0xd8)],
    ['a GIF', bytes('GIF89a')],
    ['a ZIP (docx, odt)', bytes('PK\x03\x04')],
    ['an ELF binary', bytes(0x7f, 'ELF')],
    ['HTML', bytes('<!doctype html><script>')],
    ['an SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a UTF-8 BOM before %PDF-', bytes(0xef, 0xbb, 0xbf, '%PDF-1.7')],
  ])('refuses %s', (_what, content) => {
    expect(sniffMediaType(content)).toBeNull();
  });

  it('reads a Buffer as well as a Uint8Array', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7 rest'))).toBe('application/pdf');
  });
});

describe('nameMatches', () => {
  it.each([
    ['scan.pdf', 'application/pdf'],
    ['SCAN.PDF', 'application/pdf'],
    ['my.scan.v2.pdf', 'application/pdf'],
    ['photo.png', 'image/png'],
    ['photo.PnG', 'image/png'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.jpeg', 'image/jpeg'],
    ['photo.JPG', 'image/jpeg'],
  ] as const)('%s agrees with %s', (name, mediaType) => {
    expect(nameMatches(name, mediaType)).toBe(true);
  });

  it.each([
    ['photo.pdf', 'image/png'],
    ['photo.pdf', 'image/jpeg'],
    ['scan.png', 'application/pdf'],
    ['scan.jpg', 'image/png'],
    ['scan.jpeg', 'application/pdf'],
    ['scan.pdf.exe', 'application/pdf'],
    ['scan.txt', 'application/pdf'],
    ['scan.html', 'image/png'],
    ['scan.pdf.', 'application/pdf'],
    ['scan.jpe', 'image/jpeg'],
  ] as const)('%s lies about %s', (name, mediaType) => {
    expect(nameMatches(name, mediaType)).toBe(false);
  });

  it.each([
    ['scan', 'application/pdf'],
    ['document', 'image/png'],
    ['.hidden', 'image/jpeg'],
  ] as const)('a name without extension (%s) claims nothing', (name, mediaType) => {
    expect(nameMatches(name, mediaType)).toBe(true);
  });
});

describe('cleanFileName', () => {
  it.each([
    ['scan.pdf', 'scan.pdf'],
    ['../../etc/passwd.pdf', 'passwd.pdf'],
    ['/absolute/path/to/file.png', 'file.png'],
    ['C:\\Users\\anna\\Documents\\transcript.pdf', 'transcript.pdf'],
    ['..\\..\\windows\\win.ini.pdf', 'win.ini.pdf'],
    ['mixed/dirs\\and/more\\x.jpg', 'x.jpg'],
    ['  spaced name.pdf  ', 'spaced name.pdf'],
    ['tab\tand\nnewline\r.pdf', 'tabandnewline.pdf'],
    ['nul\u0000byte.pdf', 'nulbyte.pdf'],
    ['del\u007f.pdf', 'del.pdf'],
    ['relevé de notes été.pdf', 'relevé de notes été.pdf'],
    ['паспорт.pdf', 'паспорт.pdf'],
    ['"quoted" name.pdf', '"quoted" name.pdf'],
  ])('%j → %j', (raw, clean) => {
    expect(cleanFileName(raw)).toBe(clean);
  });

  it.each([[''], ['   '], ['/'], ['dir/'], ['..\\'], ['\u0000\u0001']])('%j with nothing left becomes "document"', (raw) => {
    expect(cleanFileName(raw)).toBe('document');
  });

  it('keeps at most the last 255 characters, so the extension survives', () => {
    const long = `${'a'.repeat(400)}.pdf`;
    const clean = cleanFileName(long);
    expect(clean).toHaveLength(255);
    expect(clean.endsWith('.pdf')).toBe(true);
  });
});
