import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/** The hash the first entry points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: every field but the hashes, as stored. */
export interface ChainContent {
  seq: string;
  id: string;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  institutionIds: string[];
  fromStatus: string | null;
  toStatus: string | null;
  /** the text; null once erased (see commentSha256) */
  comment: string | null;
  /** SHA-256 of the comment as written: what the chain covers, so that the text alone can be erased */
  commentSha256: string | null;
  details: Record<string, unknown> | null;
  requestId: string | null;
  /** the client's address; null once erased (see clientAddressSha256) */
  clientAddress: string | null;
  /** SHA-256 of the address as recorded: what the chain covers */
  clientAddressSha256: string | null;
}

export interface ChainedEntry extends ChainContent {
  prevHash: string;
  hash: string;
}

/** The digest an entry keeps of its comment or client address (the values a person's erasure may clear). */
export function commentDigest(comment: string): string {
  return createHash('sha256').update(comment, 'utf8').digest('hex');
}

/**
 * The canonical text of an entry (RFC 8785 JSON canonicalisation: sorted keys, one way
 * to write each value), so that the same content always hashes the same, whatever order
 * PostgreSQL gives back a jsonb object's keys in. It holds the digests of the comment and of
 * the client address, not the values: a comment naming a person and the address of a person
 * erased can be cleared (set to null, the only change the database lets through) while the
 * chain stays whole and any other change of them shows.
 */
export function canonicalContent(entry: ChainContent): string {
  return canonicalize({
    seq: entry.seq,
    id: entry.id,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    institutionIds: [...entry.institutionIds].sort(),
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    commentSha256: entry.commentSha256,
    details: entry.details,
    requestId: entry.requestId,
    clientAddressSha256: entry.clientAddressSha256,
  });
}

/** SHA-256 (hex) of the previous entry's hash and this entry's canonical content. */
export function entryHash(prevHash: string, entry: ChainContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalContent(entry)).digest('hex');
}

export type ChainBreak =
  /** the entry's content is not what was hashed when it was written */
  | 'changed'
  /** entries before this one are missing (its seq skips) */
  | 'removed'
  /** the entry does not point back to the one before it: an entry was put in or taken out before it */
  | 'link_broken'
  /** the entry lies beyond the chain's recorded head: written behind the application's back */
  | 'inserted'
  /** the chain ends before its recorded head: its last entries were removed */
  | 'tail_removed';

export interface ChainVerdict {
  valid: boolean;
  /** entries checked */
  checked: number;
  /** the first entry found broken, or null */
  firstBroken: { seq: string; id: string | null; reason: ChainBreak; expectedSeq?: string } | null;
}

/**
 * Walks the chain in `seq` order, batch after batch (a log of millions of entries is never
 * held in memory), and stops at the first break. `head` is the chain head's row.
 */
export class ChainWalker {
  private expectedSeq = 1n;
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private lastId: string | null = null;
  private broken: ChainVerdict['firstBroken'] = null;

  constructor(private readonly head: { seq: string; hash: string }) {}

  /** Feeds the next entries; false once a break is found (no need to read further). */
  feed(entries: readonly ChainedEntry[]): boolean {
    for (const entry of entries) {
      if (this.broken) return false;
      const seq = BigInt(entry.seq);
      if (seq > BigInt(this.head.seq)) {
        this.broken = { seq: entry.seq, id: entry.id, reason: 'inserted' };
      } else if (seq !== this.expectedSeq) {
        this.broken = { seq: entry.seq, id: entry.id, reason: 'removed', expectedSeq: String(this.expectedSeq) };
      } else if (entry.prevHash !== this.prevHash) {
        this.broken = { seq: entry.seq, id: entry.id, reason: 'link_broken' };
      } else if (entryHash(entry.prevHash, entry) !== entry.hash || !intact(entry.comment, entry.commentSha256) || !intact(entry.clientAddress, entry.clientAddressSha256)) {
        this.broken = { seq: entry.seq, id: entry.id, reason: 'changed' };
      } else {
        this.checked += 1;
        this.expectedSeq = seq + 1n;
        this.prevHash = entry.hash;
        this.lastId = entry.id;
      }
    }
    return !this.broken;
  }

  /** The verdict once every entry has been fed (or a break found). */
  finish(): ChainVerdict {
    if (!this.broken) {
      const last = this.expectedSeq - 1n;
      if (String(last) !== this.head.seq || (last === 0n && this.prevHash !== this.head.hash)) {
        this.broken = { seq: String(last + 1n), id: null, reason: 'tail_removed', expectedSeq: String(last + 1n) };
      } else if (this.prevHash !== this.head.hash) {
        // Every entry is there and self-consistent, but the last one does not end on the head's
        // hash: it was rewritten and hashed again (nothing after it to notice the link).
        this.broken = { seq: String(last), id: this.lastId, reason: 'changed' };
        this.checked -= 1;
      }
    }
    return { valid: !this.broken, checked: this.checked, firstBroken: this.broken };
  }
}

/** An erasable value is as recorded (its digest matches), or erased (null); never one added or changed. */
function intact(value: string | null, digest: string | null): boolean {
  if (value === null) return true;
  return digest !== null && commentDigest(value) === digest;
}
