/**
 * A small seeded pseudo-random generator (sfc32), so fixtures are identical on every platform
 * and Node version: only 32-bit integer arithmetic, no `Math.random`.
 */
export interface Random {
  /** A float in `[0, 1)`. */
  next(): number;
  /** An integer in `[min, max]`. */
  int(min: number, max: number): number;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A version-4-shaped GUID in lower case, as Graph writes ids. */
  guid(): string;
}

/**
 * Creates a seeded generator. Same seed, same sequence.
 * @see https://pracrand.sourceforge.net/RNG_engines.txt (sfc32)
 */
export function createRandom(seed: number): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = (Math.trunc(seed) ^ 0xdeadbeef) >>> 0;
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so nearby seeds diverge.
  for (let i = 0; i < 12; i++) u32();
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  const random: Random = {
    next: () => u32() / 0x1_0000_0000,
    int: (min, max) => min + Math.floor(random.next() * (max - min + 1)),
    chance: (p) => random.next() < p,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(random.next() * items.length)];
      if (item === undefined) throw new RangeError('pick() needs a non-empty list');
      return item;
    },
    guid: () => {
      const [w0, w1, w2, w3] = [u32(), u32(), u32(), u32()];
      const h = hex(w0) + hex(((w1 & 0xffff0fff) | 0x4000) >>> 0) + hex(((w2 & 0x3fffffff) | 0x80000000) >>> 0) + hex(w3);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
  return random;
}

/**
 * Formats an instant as Graph does: UTC, up to 7 fraction digits (100 ns ticks), trailing zeros
 * dropped (`2022-08-24T23:28:04.490313Z`). `ticks` are the 0–9999 sub-millisecond ticks.
 */
export function graphDateTime(ms: number, ticks = 0): string {
  const iso = new Date(ms).toISOString();
  const fraction = (iso.slice(20, 23) + String(ticks).padStart(4, '0')).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}
