/**
 * Remembers the patient_ids of one file (for the duplicate-id warning) in flat typed arrays instead of a Map of
 * strings: 12 bytes a slot (two slots an id) here rather than a string key and a Map entry per id, which keeps the streaming
 * ingest's memory flat.
 *
 * Each id is stored as two independent 32-bit hashes. Two different ids would have to collide in both (64 bits) to
 * be mistaken for each other: for a million ids the chance that this happens anywhere in the file is about 3e-8,
 * and the consequence would only be a spurious "duplicate id" warning, never a lost or changed row.
 */
export class SeenIds {
  private capacity: number;
  private size = 0;
  private hashA: Uint32Array;
  private hashB: Uint32Array;
  /** 0 marks an empty slot, so lines are stored as given (lines start at 2: the header is line 1). */
  private lines: Uint32Array;

  /**
   * expectedIds: sizes the table up front (growing rehashes every id), up to 4M slots
   * (48 MB): a file's line count is only a hint (blank or rejected lines take no slot), so beyond that it grows.
   */
  constructor(expectedIds = 0) {
    let capacity = 1 << 16;
    while (capacity < expectedIds * 2 && capacity < 1 << 22) capacity *= 2;
    this.capacity = capacity;
    this.hashA = new Uint32Array(capacity);
    this.hashB = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
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
    const mask = this.capacity - 1;
    let slot = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    while (this.lines[slot] !== 0) {
      if (this.hashA[slot] === a && this.hashB[slot] === b) return this.lines[slot];
      slot = (slot + 1) & mask;
    }
    this.hashA[slot] = a;
    this.hashB[slot] = b;
    this.lines[slot] = line;
    if (++this.size * 2 > this.capacity) this.grow();
    return 0;
  }

  private grow(): void {
    const { hashA, hashB, lines } = this;
    this.capacity *= 2;
    this.hashA = new Uint32Array(this.capacity);
    this.hashB = new Uint32Array(this.capacity);
    this.lines = new Uint32Array(this.capacity);
    const mask = this.capacity - 1;
    for (let s = 0; s < lines.length; s++) {
      if (lines[s] === 0) continue;
      let slot = (hashA[s] ^ Math.imul(hashB[s], 0x9e3779b1)) & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.hashA[slot] = hashA[s];
      this.hashB[slot] = hashB[s];
      this.lines[slot] = lines[s];
    }
  }
}
