/**
 * How many times each key was seen, in 9 bytes a slot and at most 3/4 of the slots used (typed
 * arrays, open addressing on a 64-bit hash): 36 MiB for two million test keys, where a
 * `Map<string, number>` of them takes hundreds of MB. (At most half full, as it was, the table
 * doubled to 72 MiB at 2,097,152 keys — a quarter of a 300 MB server's memory for a 200 MB file.)
 * Pure.
 *
 * Keys are not stored, so two different keys whose hashes collide count as one. Callers use it
 * only to decide which keys *may* repeat ("seen more than once") and then group those by their
 * real keys, so a collision costs memory, never a wrong result.
 */

const MIN_CAPACITY = 1 << 10;

/** Two independent 32-bit hashes of the UTF-16 code units: FNV-1a and a multiply-rotate mix. */
export function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  return [a >>> 0, b >>> 0];
}

export class KeyCounter {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private counts: Uint8Array;
  private used = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.counts = new Uint8Array(cap);
  }

  /** Distinct keys seen (collisions aside). */
  get size(): number {
    return this.used;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.counts.length * 9;
  }

  /** Counts one more sighting of `key`; returns how many there have been (at most 255). */
  add(key: string): number {
    const [h, l] = hash64(key);
    if ((this.used + 1) * 4 > this.counts.length * 3) this.grow();
    const i = this.slot(h, l);
    if (this.counts[i] === 0) {
      this.hi[i] = h;
      this.lo[i] = l;
      this.used++;
    }
    const n = Math.min(this.counts[i]! + 1, 255);
    this.counts[i] = n;
    return n;
  }

  /** How many times `key` was added (0 when never; at most 255). */
  count(key: string): number {
    const [h, l] = hash64(key);
    return this.counts[this.slot(h, l)]!;
  }

  /** The slot holding (h, l), or the empty slot where it would go (linear probing). */
  private slot(h: number, l: number): number {
    const mask = this.counts.length - 1;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
    while (this.counts[i] !== 0 && (this.hi[i] !== h || this.lo[i] !== l)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { hi, lo, counts } = this;
    const cap = counts.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.counts = new Uint8Array(cap);
    for (let j = 0; j < counts.length; j++) {
      if (counts[j] === 0) continue;
      const h = hi[j]!;
      const l = lo[j]!;
      const i = this.slot(h, l);
      this.hi[i] = h;
      this.lo[i] = l;
      this.counts[i] = counts[j]!;
    }
  }
}
