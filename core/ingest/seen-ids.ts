/**
 * Remembers the patient_ids of one file (for the duplicate-id warning) in flat typed arrays instead of a Map of
 * strings: 12 bytes a slot (two slots an id) here rather than a string key and a Map entry per id, which keeps the streaming
 * ingest's memory flat.
 *
 * Each id is stored as two independent 32-bit hashes. Two different ids would have to collide in both (64 bits) to
 * be mistaken for each other: for a million ids the chance that this happens anywhere in the file is about 3e-8,
 * and the consequence would only be a spurious "duplicate id" warning, never a lost or changed row.
 *
 * A file whose ids ascend (an export sorted by patient_id) cannot repeat one while they do: its ids are only logged
 * in order, and the hash table is built from the log at the first id that does not ascend. A table of a million ids
 * is far larger than the processor's caches, so each probe of it waits on memory; the log is written in order.
 */
export class SeenIds {
  private readonly expectedIds: number;
  /** The last id while every id so far was greater than the one before it; null once one was not. */
  private previous: string | null = null;
  private ascending = true;
  /** While ascending: per id, its line and two hashes, in file order. */
  private log: Uint32Array;
  private logged = 0;
  private capacity = 0;
  private size = 0;
  /**
   * Slot s is entries[3s .. 3s+2]: the line (0 marks an empty slot, so lines are stored as given: the header is line
   * 1), then the two hashes. One array rather than three: a probe reads one cache line, not three.
   */
  private entries = new Uint32Array(0);

  /**
   * expectedIds: sizes the log and the table up front (growing copies them), up to 4M slots (48 MB): a file's line
   * count is only a hint (blank or rejected lines take no slot), so beyond that they grow.
   */
  constructor(expectedIds = 0) {
    this.expectedIds = Math.min(Math.max(0, expectedIds), 1 << 21);
    this.log = new Uint32Array(3 * Math.max(1 << 12, this.expectedIds));
  }

  /** The line where this id was first seen, or 0 after recording it as first seen on `line` now. */
  firstLineOrAdd(id: string, line: number): number {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a >>>= 0;
    b = (b ^ id.length) >>> 0;
    if (this.ascending) {
      if (this.previous === null || id > this.previous) {
        this.previous = id;
        this.append(a, b, line);
        return 0;
      }
      this.tableFromLog();
    }
    return this.probe(a, b, line);
  }

  private append(a: number, b: number, line: number): void {
    if (this.logged * 3 === this.log.length) {
      const longer = new Uint32Array(this.log.length * 2);
      longer.set(this.log);
      this.log = longer;
    }
    const at = this.logged * 3;
    this.log[at] = line;
    this.log[at + 1] = a;
    this.log[at + 2] = b;
    this.logged++;
  }

  private tableFromLog(): void {
    this.ascending = false;
    this.previous = null;
    let capacity = 1 << 16;
    while (capacity < Math.max(this.expectedIds, this.logged) * 2) capacity *= 2;
    this.capacity = capacity;
    this.entries = new Uint32Array(capacity * 3);
    const log = this.log;
    for (let at = 0; at < this.logged * 3; at += 3) this.probe(log[at + 1], log[at + 2], log[at]);
    this.log = new Uint32Array(0);
  }

  private probe(a: number, b: number, line: number): number {
    const entries = this.entries;
    const mask = this.capacity - 1;
    let slot = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const at = slot * 3;
      const seenLine = entries[at];
      if (seenLine === 0) {
        entries[at] = line;
        entries[at + 1] = a;
        entries[at + 2] = b;
        if (++this.size * 2 > this.capacity) this.grow();
        return 0;
      }
      if (entries[at + 1] === a && entries[at + 2] === b) return seenLine;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.entries;
    this.capacity *= 2;
    const entries = new Uint32Array(this.capacity * 3);
    const mask = this.capacity - 1;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at] === 0) continue;
      let slot = (old[at + 1] ^ Math.imul(old[at + 2], 0x9e3779b1)) & mask;
      while (entries[slot * 3] !== 0) slot = (slot + 1) & mask;
      entries.set(old.subarray(at, at + 3), slot * 3);
    }
    this.entries = entries;
  }
}
