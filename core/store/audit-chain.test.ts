import { createHash, createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  type ChainRow,
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  hmacEvent,
  KEY_ROTATED,
  KEYED_LINKS_STARTED,
  nextKeyId,
  RETENTION_PURGED,
  tombstoneDigest,
  verifyChain,
} from './audit-chain';

// The chain functions on rows built here, with links computed from their definition (SHA-256 or HMAC-SHA-256 of
// the previous hash, a newline and the JSON array of the fields), not with the functions under test.
const KEYS: Record<string, Buffer> = { k1: Buffer.alloc(32, 1), k2: Buffer.alloc(32, 2) };
const keyOf = (id: string) => KEYS[id];

interface Spec {
  action?: string;
  /** A function: details that depend on the rows before (a purge event's digest of its tombstones' hashes). */
  details?: string | ((earlier: readonly ChainRow[]) => string);
  keyId?: string | null;
}

function link(row: Omit<ChainRow, 'hash'>): string {
  const fields = [row.seq, row.at, row.actor, row.action, row.subject, row.details];
  if (row.keyId === null) {
    return createHash('sha256')
      .update(`${row.prevHash}\n${JSON.stringify(fields)}`)
      .digest('hex');
  }
  return createHmac('sha256', KEYS[row.keyId])
    .update(`${row.prevHash}\n${JSON.stringify([...fields, row.keyId])}`)
    .digest('hex');
}

function chain(specs: Spec[]): ChainRow[] {
  const rows: ChainRow[] = [];
  let prevHash = GENESIS_HASH;
  specs.forEach((spec, i) => {
    const row = {
      seq: i + 1,
      at: `2026-03-0${1 + (i % 9)}T08:00:00Z`,
      actor: 'admin',
      action: spec.action ?? `event.${i + 1}`,
      subject: i % 2 === 0 ? null : `batch-${i}`,
      details: typeof spec.details === 'function' ? spec.details(rows) : (spec.details ?? canonicalJson({ n: i })),
      prevHash,
      keyId: spec.keyId ?? null,
    };
    const hash = link(row);
    rows.push({ ...row, hash });
    prevHash = hash;
  });
  return rows;
}

const plain = (n: number) => chain(Array.from({ length: n }, () => ({})));
const problems = (rows: ChainRow[], trail?: Map<number, string>) =>
  verifyChain(rows, trail, keyOf).problems.map((p) => `${p.seq} ${p.kind}: ${p.message}`);
const describeRow = (r: ChainRow) => `event seq ${r.seq} (${r.action} by ${r.actor} at ${r.at})`;

describe('chain links', () => {
  test('canonical JSON sorts keys at every depth, keeps array order and null, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }, 3], c: undefined, e: null } })).toBe(
      '{"a":{"d":[{"x":2,"y":1},3],"e":null},"b":1}',
    );
    expect(canonicalJson([2, 1])).toBe('[2,1]');
    expect(canonicalJson('text')).toBe('"text"');
  });

  test('plain and keyed links are SHA-256 and HMAC-SHA-256 of the previous hash and the fields', () => {
    const [unkeyed] = plain(1);
    expect(hashEvent(unkeyed)).toBe(unkeyed.hash);
    const [keyed] = chain([{ keyId: 'k1' }]);
    expect(hmacEvent(keyed, KEYS.k1)).toBe(keyed.hash);
    // The key id is signed: the same event under another key id does not verify.
    expect(hmacEvent({ ...keyed, keyId: 'k2' }, KEYS.k1)).not.toBe(keyed.hash);
  });

  test('the key after a row: a keyed rotation names the new key; anything else keeps the key', () => {
    const rotation = { action: KEY_ROTATED, keyId: 'k1', details: '{"keyId":"k1","newKeyId":"k2"}' };
    expect(nextKeyId(rotation)).toBe('k2');
    expect(nextKeyId({ ...rotation, keyId: null })).toBeNull();
    expect(nextKeyId({ ...rotation, action: 'other' })).toBe('k1');
    expect(nextKeyId({ ...rotation, details: '{not json' })).toBe('k1');
    expect(nextKeyId({ ...rotation, details: '{"newKeyId":7}' })).toBe('k1');
  });
});

describe('verifyChain', () => {
  test('an intact plain chain verifies, every row counted', () => {
    expect(verifyChain(plain(5))).toEqual({ ok: true, checked: 5, problems: [] });
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, problems: [] });
  });

  test('an edited row is named, and only that row', () => {
    const rows = plain(4);
    rows[1] = { ...rows[1], actor: 'mallory' };
    expect(problems(rows)).toEqual([`2 edited: ${describeRow(rows[1])}: its content does not match its hash`]);
  });

  test('deleted rows: one, then a run, named by range', () => {
    const rows = plain(6);
    expect(problems([rows[0], ...rows.slice(2)])).toEqual([
      `3 deleted: event seq 2 missing before ${describeRow(rows[2])}`,
    ]);
    expect(problems([rows[0], ...rows.slice(3)])).toEqual([
      `4 deleted: event seq 2..3 missing before ${describeRow(rows[3])}`,
    ]);
  });

  test('an inserted row is told apart from a broken link', () => {
    // A well-formed row 3 slipped in after row 2; the old row 3, renumbered 4, still links to row 2.
    const rows = plain(3);
    const forged = chain([{}, {}, { action: 'forged' }])[2];
    const inserted = { ...forged, prevHash: rows[1].hash };
    inserted.hash = link(inserted);
    const renumbered = { ...rows[2], seq: 4 };
    renumbered.hash = link(renumbered);
    expect(problems([rows[0], rows[1], inserted, renumbered])).toEqual([
      `3 inserted: event seq 3 was inserted: ${describeRow(renumbered)} links past it to seq 2`,
    ]);
    const broken = { ...rows[2], prevHash: 'f'.repeat(64) };
    broken.hash = link(broken);
    expect(problems([rows[0], rows[1], broken])).toEqual([
      `3 broken-link: ${describeRow(broken)} does not link to the hash of seq 2`,
    ]);
    // The first row must link to the genesis hash.
    const first = { ...rows[0], prevHash: 'e'.repeat(64) };
    first.hash = link(first);
    expect(problems([first])).toEqual([`1 broken-link: ${describeRow(first)} does not link to the hash of seq 0`]);
  });

  test('a chain switches to keyed links once, then rotates keys; both verify', () => {
    const rows = chain([
      {},
      {},
      { action: KEYED_LINKS_STARTED, keyId: 'k1' },
      { keyId: 'k1' },
      { action: KEY_ROTATED, keyId: 'k1', details: '{"keyId":"k1","newKeyId":"k2"}' },
      { keyId: 'k2' },
    ]);
    expect(verifyChain(rows, undefined, keyOf)).toEqual({ ok: true, checked: 6, problems: [] });
    // A chain begun keyed needs no switch event.
    expect(verifyChain(chain([{ keyId: 'k1' }, { keyId: 'k1' }]), undefined, keyOf).ok).toBe(true);
  });

  test('an unkeyed link after the switch is a downgrade, even with a correct plain hash', () => {
    const rows = chain([{}, { action: KEYED_LINKS_STARTED, keyId: 'k1' }, { keyId: 'k1' }, {}]);
    expect(problems(rows)).toEqual([
      `4 downgraded: ${describeRow(rows[3])} has an unkeyed link, though the chain has used keyed links since seq 2`,
    ]);
  });

  test('a keyed link without the switch event, or with the wrong key after a rotation, is named', () => {
    const noSwitch = chain([{}, { keyId: 'k1' }]);
    expect(problems(noSwitch)).toEqual([
      `2 wrong-key: ${describeRow(noSwitch[1])} is keyed, but the chain's switch to keyed links (${KEYED_LINKS_STARTED}) is missing`,
    ]);
    const stale = chain([
      { keyId: 'k1' },
      { action: KEY_ROTATED, keyId: 'k1', details: '{"newKeyId":"k2"}' },
      { keyId: 'k1' },
    ]);
    expect(problems(stale)).toEqual([
      `3 wrong-key: ${describeRow(stale[2])} is linked with key k1, but the chain's key at that point is k2`,
    ]);
  });

  test('a key the verifier lacks, or a keyed hash that does not match, is named', () => {
    const rows = chain([{ keyId: 'k1' }, { keyId: 'k1' }]);
    expect(verifyChain(rows).problems.map((p) => `${p.seq} ${p.kind}: ${p.message}`)).toEqual([
      `1 unknown-key: ${describeRow(rows[0])} is linked with audit key k1, which this verifier does not hold`,
      `2 unknown-key: ${describeRow(rows[1])} is linked with audit key k1, which this verifier does not hold`,
    ]);
    const edited = [rows[0], { ...rows[1], details: '{"n":99}' }];
    expect(problems(edited)).toEqual([
      `2 edited: ${describeRow(edited[1])}: its content does not match its keyed hash (edited, or rehashed without the key)`,
    ]);
  });

  test('the JSONL trail catches rows missing from it, rows it hashes differently and rows only it has', () => {
    const rows = plain(3);
    const trail = new Map(rows.map((r) => [r.seq, r.hash]));
    expect(problems(rows, trail)).toEqual([]);
    trail.delete(2);
    trail.set(3, 'a'.repeat(64));
    trail.set(5, 'b'.repeat(64));
    trail.set(4, 'c'.repeat(64));
    expect(problems(rows, trail)).toEqual([
      `2 inserted: ${describeRow(rows[1])} is in the database but not in the JSONL audit trail`,
      `3 edited: ${describeRow(rows[2])} has a different hash in the JSONL audit trail`,
      '4 deleted: event seq 4 is in the JSONL audit trail but missing from the database',
      '5 deleted: event seq 5 is in the JSONL audit trail but missing from the database',
    ]);
  });
});

// A retention purge empties patient events (tombstones keep seq, time, actor, action and their stored hash) and
// signs, in its own event, a digest of the tombstones' seqs and hashes; computed here from that definition.
function digestOf(rows: readonly ChainRow[], seqs: readonly number[]) {
  const lines = [...seqs].sort((a, b) => a - b).map((seq) => `${seq} ${rows[seq - 1].hash}\n`);
  return { count: seqs.length, sha256: createHash('sha256').update(lines.join('')).digest('hex') };
}

/** Six events, keyed from the first; event 5 a purge signing `signed` (seqs); `emptied` (seq -> purge seq) tombstoned. */
function purged(
  signed: number[],
  emptied: Record<number, number>,
  purgeDetails?: (earlier: readonly ChainRow[]) => string,
) {
  const rows = chain([
    { keyId: 'k1' },
    { keyId: 'k1' },
    { keyId: 'k1' },
    { keyId: 'k1' },
    {
      action: RETENTION_PURGED,
      keyId: 'k1',
      details:
        purgeDetails ?? ((earlier) => canonicalJson({ cutoff: '2026-01-05', tombstones: digestOf(earlier, signed) })),
    },
    { keyId: 'k1' },
  ]);
  return rows.map((row) =>
    emptied[row.seq] === undefined ? row : { ...row, subject: null, details: '', purgedBySeq: emptied[row.seq] },
  );
}

describe('tombstones of a retention purge', () => {
  test('the digest is over seq and hash in seq order, whatever order the tombstones come in', () => {
    const rows = plain(4);
    const expected = digestOf(rows, [2, 4]);
    expect(tombstoneDigest([rows[3], rows[1]])).toEqual(expected);
    expect(tombstoneDigest([rows[1], rows[3]])).toEqual(expected);
    expect(tombstoneDigest([])).toEqual({ count: 0, sha256: createHash('sha256').digest('hex') });
  });

  test('events emptied by a verified purge that signed exactly them verify, links and all', () => {
    expect(verifyChain(purged([2, 3], { 2: 5, 3: 5 }), undefined, keyOf)).toEqual({
      ok: true,
      checked: 6,
      problems: [],
    });
    // A purge that tombstoned nothing signs an empty digest.
    expect(verifyChain(purged([], {}), undefined, keyOf).ok).toBe(true);
  });

  test('an event emptied without a purge naming it is reported as edited, naming the event', () => {
    const rows = purged([2], { 2: 5, 4: 6 });
    expect(problems(rows)).toEqual([
      `4 edited: ${describeRow(rows[3])} is marked purged, but no verified purge event (seq 6) after it lists it: its content was removed outside a purge`,
    ]);
    // Naming the purge but placed after it (or naming itself) is no cover either.
    const after = purged([2], { 2: 5, 6: 5 });
    expect(problems(after)).toEqual([
      `6 edited: ${describeRow(after[5])} is marked purged, but no verified purge event (seq 5) after it lists it: its content was removed outside a purge`,
    ]);
  });

  test('a tombstone added under a real purge, or one whose marker was dropped, breaks the signed digest', () => {
    expect(problems(purged([2], { 2: 5, 3: 5 }))).toEqual([
      '5 edited: purge event seq 5 tombstoned 1 events, but 2 events now name it, or their seqs and hashes differ',
    ]);
    // Event 3 signed as a tombstone, emptied, its marker then dropped: its content fails its own hash, and the
    // purge's digest no longer matches what names it.
    const unmarked = purged([2, 3], { 2: 5, 3: 5 });
    unmarked[2] = { ...unmarked[2], purgedBySeq: null };
    expect(problems(unmarked).map((p) => p.slice(0, 9))).toEqual(['3 edited:', '5 edited:']);
    expect(problems(unmarked)[1]).toBe(
      '5 edited: purge event seq 5 tombstoned 2 events, but 1 events now name it, or their seqs and hashes differ',
    );
  });

  test('a tombstone keeping its seq but not its stored hash is caught by the digest and the next link', () => {
    const rows = purged([2], { 2: 5 });
    rows[1] = { ...rows[1], hash: 'f'.repeat(64) };
    const found = problems(rows);
    expect(found.some((p) => p.startsWith('5 edited: purge event seq 5 tombstoned 1 events'))).toBe(true);
    expect(found.some((p) => p.startsWith('3 '))).toBe(true);
  });

  test('a purge event without a digest, or one edited after signing, vouches for nothing', () => {
    // The tombstone names a purge that signed no digest: that purge is reported, and accepts nothing.
    expect(problems(purged([], { 2: 5 }, () => canonicalJson({ cutoff: '2026-01-05' })))).toEqual([
      '5 edited: purge event seq 5 carries no tombstone digest',
    ]);
    expect(problems(purged([], {}, () => 'not json'))).toEqual([
      '5 edited: purge event seq 5 carries no tombstone digest',
    ]);
    const edited = purged([2], { 2: 5 });
    edited[4] = { ...edited[4], actor: 'mallory' };
    const found = problems(edited);
    expect(found).toContain(
      `2 edited: ${describeRow(edited[1])} is marked purged, but no verified purge event (seq 5) after it lists it: its content was removed outside a purge`,
    );
    expect(found.some((p) => p.startsWith('5 '))).toBe(true);
  });

  test('a digest with a count or hash of the wrong type is no digest at all', () => {
    for (const tombstones of [{ count: '0', sha256: digestOf([], []).sha256 }, { count: 0 }, { sha256: 'x' }, null]) {
      expect(problems(purged([], {}, () => canonicalJson({ tombstones })))).toEqual([
        '5 edited: purge event seq 5 carries no tombstone digest',
      ]);
    }
  });

  test('in a chain of plain links a tombstone is no downgrade; a keyed tombstone starts the keyed part', () => {
    const plainPurge = chain([
      {},
      {},
      { action: RETENTION_PURGED, details: (earlier) => canonicalJson({ tombstones: digestOf(earlier, [2]) }) },
    ]).map((row) => (row.seq === 2 ? { ...row, subject: null, details: '', purgedBySeq: 3 } : row));
    expect(verifyChain(plainPurge, undefined, keyOf)).toEqual({ ok: true, checked: 3, problems: [] });
    // The tombstone is the chain's first keyed link: a plain link after it is a downgrade.
    const keyedFirst = chain([
      { keyId: 'k1' },
      {},
      {
        action: RETENTION_PURGED,
        keyId: 'k1',
        details: (earlier) => canonicalJson({ tombstones: digestOf(earlier, [1]) }),
      },
    ]).map((row) => (row.seq === 1 ? { ...row, subject: null, details: '', purgedBySeq: 3 } : row));
    expect(problems(keyedFirst).filter((p) => p.startsWith('2 '))).toEqual([
      `2 downgraded: ${describeRow(keyedFirst[1])} has an unkeyed link, though the chain has used keyed links since seq 1`,
    ]);
  });

  test('a tombstone rehashed without the key after the switch to keyed links is a downgrade', () => {
    const rows = purged([2], { 2: 5 });
    rows[1] = { ...rows[1], keyId: null };
    expect(problems(rows).filter((p) => p.startsWith('2 '))).toEqual([
      `2 downgraded: ${describeRow(rows[1])} has an unkeyed link, though the chain has used keyed links since seq 1`,
    ]);
  });
});
