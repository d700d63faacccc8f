/**
 * The audit log's hash chain as pure code: an entry's canonical content (what its hash
 * covers) does not depend on the order of keys or institutions it was built with, and the
 * walker that `GET /audit/verify` runs names the first entry changed, removed, inserted or
 * unlinked, and a removed tail, on a chain built by hand — whatever batches it is fed in.
 */
import { randomUUID } from 'node:crypto';
import { ChainWalker, GENESIS_HASH, canonicalContent, commentDigest, entryHash, type ChainContent, type ChainVerdict, type ChainedEntry } from '../../src/audit/audit-chain.js';

const INSTITUTION_A = '3f0c1a52-7d4e-4c1b-9a55-0a1b2c3d4e5f';
const INSTITUTION_B = '9e8d7c6b-5a49-4382-8170-6f5e4d3c2b1a';

function content(seq: number, overrides: Partial<ChainContent> = {}): ChainContent {
  const entry: Omit<ChainContent, 'commentSha256' | 'clientAddressSha256'> & { commentSha256?: string | null; clientAddressSha256?: string | null } = {
    seq: String(seq),
    id: randomUUID(),
    at: new Date(Date.UTC(2027, 0, 1, 12, 0, seq)),
    actorId: randomUUID(),
    actorRole: 'coordinator',
    action: 'application.accept',
    targetType: 'application',
    targetId: randomUUID(),
    institutionIds: [INSTITUTION_A, INSTITUTION_B],
    fromStatus: 'nominated',
    toStatus: 'accepted',
    comment: `entry ${seq}`,
    details: { programId: randomUUID(), fields: ['motivation'] },
    requestId: randomUUID(),
    clientAddress: '127.0.0.1',
    ...overrides,
  };
  const digest = (given: string | null | undefined, value: string | null) => (given !== undefined ? given : value === null ? null : commentDigest(value));
  return { ...entry, commentSha256: digest(entry.commentSha256, entry.comment), clientAddressSha256: digest(entry.clientAddressSha256, entry.clientAddress) };
}

/** A valid chain of `n` entries (seq 1..n) and its head, as the application writes them. */
function chainOf(n: number, overrides: Partial<ChainContent> = {}): { entries: ChainedEntry[]; head: { seq: string; hash: string } } {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const entry = content(seq, overrides);
    const hash = entryHash(prevHash, entry);
    entries.push({ ...entry, prevHash, hash });
    prevHash = hash;
  }
  return { entries, head: { seq: String(n), hash: prevHash } };
}

function verdictOf(head: { seq: string; hash: string }, entries: readonly ChainedEntry[], batchSize = entries.length || 1): ChainVerdict {
  const walker = new ChainWalker(head);
  for (let i = 0; i < entries.length; i += batchSize) {
    if (!walker.feed(entries.slice(i, i + batchSize))) break;
  }
  return walker.finish();
}

/** The chain with entry `index` replaced. */
const replaced = (entries: ChainedEntry[], index: number, entry: ChainedEntry) => entries.map((e, i) => (i === index ? entry : e));

describe('the audit chain', () => {
  describe('canonical content', () => {
    it('does not depend on the order of keys in details, nested ones included', () => {
      const base = content(7, { details: { programId: 'p', fields: ['a', 'b'], nested: { x: 1, y: [1, 2], z: null } } });
      const shuffled = { ...base, details: { nested: { z: null, y: [1, 2], x: 1 }, fields: ['a', 'b'], programId: 'p' } };
      expect(canonicalContent(shuffled)).toBe(canonicalContent(base));
      expect(entryHash(GENESIS_HASH, shuffled)).toBe(entryHash(GENESIS_HASH, base));
    });

    it('does not depend on the order of the institutions', () => {
      const base = content(3, { institutionIds: [INSTITUTION_A, INSTITUTION_B] });
      const reversed = { ...base, institutionIds: [INSTITUTION_B, INSTITUTION_A] };
      expect(canonicalContent(reversed)).toBe(canonicalContent(base));
      expect(entryHash(GENESIS_HASH, reversed)).toBe(entryHash(GENESIS_HASH, base));
    });

    it('does not depend on the order of the entry object’s own keys, and leaves the hashes out', () => {
      const base = content(4);
      const reordered = Object.fromEntries(Object.entries({ ...base, prevHash: 'x', hash: 'y' }).reverse()) as unknown as ChainContent;
      expect(canonicalContent(reordered)).toBe(canonicalContent(base));
    });

    it('changes with any field, and the hash with the previous hash', () => {
      const base = content(5);
      const reference = canonicalContent(base);
      const changes: Partial<ChainContent>[] = [
        { seq: '6' },
        { id: randomUUID() },
        { at: new Date(base.at.getTime() + 1) },
        { actorId: null },
        { actorRole: 'admin' },
        { action: 'application.reject' },
        { targetType: 'program' },
        { targetId: randomUUID() },
        { institutionIds: [INSTITUTION_A] },
        { fromStatus: 'submitted' },
        { toStatus: 'rejected' },
        { commentSha256: commentDigest('entry 5 ') },
        { details: { ...base.details, fields: ['dateOfBirth'] } },
        { requestId: 'another' },
        { clientAddressSha256: commentDigest('10.0.0.1') },
      ];
      for (const change of changes) expect({ change, same: canonicalContent({ ...base, ...change }) === reference }).toEqual({ change, same: false });
      expect(entryHash('1'.repeat(64), base)).not.toBe(entryHash(GENESIS_HASH, base));
      expect(entryHash(GENESIS_HASH, base)).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('the walker', () => {
    it('finds a chain valid after a comment or a client address was erased (null), but not after one was changed or added', () => {
      const { entries, head } = chainOf(6);
      expect(verdictOf(head, replaced(entries, 2, { ...entries[2], comment: null }))).toEqual({ valid: true, checked: 6, firstBroken: null });
      expect(verdictOf(head, replaced(entries, 2, { ...entries[2], clientAddress: null }))).toEqual({ valid: true, checked: 6, firstBroken: null });
      expect(verdictOf(head, replaced(entries, 3, { ...entries[3], clientAddress: '203.0.113.9' }))).toMatchObject({ valid: false, firstBroken: { seq: '4', reason: 'changed' } });
      expect(verdictOf(head, replaced(entries, 2, { ...entries[2], comment: 'another' }))).toMatchObject({ valid: false, firstBroken: { seq: '3', reason: 'changed' } });
      const silent = chainOf(3, { comment: null });
      expect(verdictOf(silent.head, replaced(silent.entries, 1, { ...silent.entries[1], comment: 'added later' }))).toMatchObject({ valid: false, firstBroken: { seq: '2', reason: 'changed' } });
    });

    it('finds a chain as written valid, every entry checked', () => {
      const { entries, head } = chainOf(6);
      expect(verdictOf(head, entries)).toEqual({ valid: true, checked: 6, firstBroken: null });
    });

    it('finds the empty chain of a new database valid', () => {
      expect(verdictOf({ seq: '0', hash: GENESIS_HASH }, [])).toEqual({ valid: true, checked: 0, firstBroken: null });
    });

    it('names an entry whose content was changed (its hash left as it was)', () => {
      const { entries, head } = chainOf(6);
      const target = entries[2];
      const tampered = replaced(entries, 2, { ...target, toStatus: 'rejected' });
      expect(verdictOf(head, tampered)).toEqual({ valid: false, checked: 2, firstBroken: { seq: '3', id: target.id, reason: 'changed' } });
      // a comment, a detail, an institution: the same
      for (const change of [{ comment: 'nothing happened' }, { details: { ...target.details, extra: true } }, { institutionIds: [INSTITUTION_A] }]) {
        expect(verdictOf(head, replaced(entries, 2, { ...target, ...change })).firstBroken).toEqual({ seq: '3', id: target.id, reason: 'changed' });
      }
    });

    it('names the entry after a removed middle entry, with the seq that should have come', () => {
      const { entries, head } = chainOf(6);
      const gap = entries.filter((_, i) => i !== 2);
      expect(verdictOf(head, gap)).toEqual({ valid: false, checked: 2, firstBroken: { seq: '4', id: entries[3].id, reason: 'removed', expectedSeq: '3' } });
      // several removed in a row: the first missing seq
      const hole = entries.filter((_, i) => i !== 1 && i !== 2);
      expect(verdictOf(head, hole).firstBroken).toEqual({ seq: '4', id: entries[3].id, reason: 'removed', expectedSeq: '2' });
      // the first entry removed
      expect(verdictOf(head, entries.slice(1)).firstBroken).toEqual({ seq: '2', id: entries[1].id, reason: 'removed', expectedSeq: '1' });
    });

    it('names an entry added beyond the recorded head, even one hashed onto the chain properly', () => {
      const { entries, head } = chainOf(4);
      const forged = content(5, { action: 'application.accept', comment: 'slipped in' });
      const plausible = { ...forged, prevHash: head.hash, hash: entryHash(head.hash, forged) };
      expect(verdictOf(head, [...entries, plausible])).toEqual({ valid: false, checked: 4, firstBroken: { seq: '5', id: forged.id, reason: 'inserted' } });
    });

    it('notices a removed tail: the chain ends before its recorded head', () => {
      const { entries, head } = chainOf(5);
      expect(verdictOf(head, entries.slice(0, 3))).toEqual({ valid: false, checked: 3, firstBroken: { seq: '4', id: null, reason: 'tail_removed', expectedSeq: '4' } });
      // every entry removed
      expect(verdictOf(head, [])).toEqual({ valid: false, checked: 0, firstBroken: { seq: '1', id: null, reason: 'tail_removed', expectedSeq: '1' } });
    });

    it('names a last entry rewritten and re-hashed as changed: the chain no longer ends on the head’s hash', () => {
      const { entries, head } = chainOf(3);
      const last = { ...entries[2], comment: 'rewritten' };
      const rehashed = { ...last, hash: entryHash(last.prevHash, last) };
      expect(verdictOf(head, replaced(entries, 2, rehashed))).toEqual({ valid: false, checked: 2, firstBroken: { seq: '3', id: entries[2].id, reason: 'changed' } });
    });

    it('names the entry whose link to the one before is broken', () => {
      const { entries, head } = chainOf(6);
      // entry 4 re-pointed at another hash and re-hashed, so that its own content checks out
      const unlinked = { ...entries[3], prevHash: 'f'.repeat(64) };
      const broken = replaced(entries, 3, { ...unlinked, hash: entryHash(unlinked.prevHash, unlinked) });
      expect(verdictOf(head, broken)).toEqual({ valid: false, checked: 3, firstBroken: { seq: '4', id: entries[3].id, reason: 'link_broken' } });
      // entry 3 rewritten and re-hashed: it checks out, the next one no longer points to it
      const rewritten = { ...entries[2], toStatus: 'rejected' };
      const rehashed = replaced(entries, 2, { ...rewritten, hash: entryHash(rewritten.prevHash, rewritten) });
      expect(verdictOf(head, rehashed).firstBroken).toEqual({ seq: '4', id: entries[3].id, reason: 'link_broken' });
    });

    it('stops at the first break: feed answers false and later entries are not read', () => {
      const { entries, head } = chainOf(6);
      const walker = new ChainWalker(head);
      expect(walker.feed(entries.slice(0, 2))).toBe(true);
      expect(walker.feed([{ ...entries[2], comment: 'changed' }, ...entries.slice(3, 4)])).toBe(false);
      expect(walker.feed(entries.slice(4))).toBe(false);
      expect(walker.finish()).toEqual({ valid: false, checked: 2, firstBroken: { seq: '3', id: entries[2].id, reason: 'changed' } });
    });

    it('gives the same verdict whatever batches the entries come in', () => {
      const { entries, head } = chainOf(9);
      const forged = content(10);
      const cases: Record<string, ChainedEntry[]> = {
        valid: entries,
        changed: replaced(entries, 5, { ...entries[5], comment: 'changed' }),
        removed: entries.filter((_, i) => i !== 6),
        inserted: [...entries, { ...forged, prevHash: head.hash, hash: entryHash(head.hash, forged) }],
        tail_removed: entries.slice(0, 7),
        link_broken: replaced(entries, 4, { ...entries[4], prevHash: GENESIS_HASH, hash: entryHash(GENESIS_HASH, entries[4]) }),
      };
      for (const [name, chain] of Object.entries(cases)) {
        const whole = verdictOf(head, chain);
        expect({ name, reason: whole.firstBroken?.reason ?? 'valid' }).toEqual({ name, reason: name });
        for (const size of [1, 2, 3, 4, 7, 100]) expect({ name, size, verdict: verdictOf(head, chain, size) }).toEqual({ name, size, verdict: whole });
      }
    });
  });
});
