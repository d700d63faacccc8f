import type { DocumentMediaType } from './document.entity.js';

/** Magic numbers of the accepted formats; the type is never taken from the name or a header. */
const SIGNATURES: { mediaType: DocumentMediaType; bytes: number[]; extensions: string[] }[] = [
  { mediaType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], extensions: ['pdf'] },
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], extensions: ['png'] },
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff], extensions: ['jpg', 'jpeg'] },
];

export function sniffMediaType(content: Uint8Array): DocumentMediaType | null {
  return SIGNATURES.find((s) => s.bytes.every((byte, i) => content[i] === byte))?.mediaType ?? null;
}

/** A name whose extension announces another format than the content is a lie (no extension is none). */
export function nameMatches(fileName: string, mediaType: DocumentMediaType): boolean {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return true;
  const extension = fileName.slice(dot + 1).toLowerCase();
  return SIGNATURES.find((s) => s.mediaType === mediaType)!.extensions.includes(extension);
}

/** The name as shown: no folders, no control characters, at most 255 characters. */
export function cleanFileName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const base = raw.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'document').slice(-255);
}
