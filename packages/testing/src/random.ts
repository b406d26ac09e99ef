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

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, rewritten in place: one flat string per GUID, not a tree of slices. */
const guidBytes = new TextEncoder().encode('00000000-0000-0000-0000-000000000000');
const latin1 = new TextDecoder('latin1');
/** Writes a 32-bit word as 8 hex digits from `at`, skipping the dashes. */
function writeHex(word: number, at: number): void {
  let i = at;
  for (let shift = 28; shift >= 0; shift -= 4) {
    if (guidBytes[i] === 0x2d) i++;
    guidBytes[i++] = HEX_DIGITS[(word >>> shift) & 0xf] ?? 0x30;
  }
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
      writeHex(u32(), 0);
      writeHex(((u32() & 0xffff0fff) | 0x4000) >>> 0, 9);
      writeHex(((u32() & 0x3fffffff) | 0x80000000) >>> 0, 19);
      writeHex(u32(), 28);
      return latin1.decode(guidBytes);
    },
  };
  return random;
}

/**
 * Formats an instant as Graph does: UTC, up to 7 fraction digits (100 ns ticks), trailing zeros
 * dropped (`2022-08-24T23:28:04.490313Z`). `ticks` are the 0–9999 sub-millisecond ticks.
 */
export function graphDateTime(ms: number, ticks = 0): string {
  const second = Math.floor(ms / 1000);
  // Fixtures write many instants within a few seconds of each other: format each second once.
  const slot = second & 63;
  let prefix = prefixes[slot];
  if (seconds[slot] !== second || prefix === undefined) {
    prefix = new Date(second * 1000).toISOString().slice(0, 19);
    seconds[slot] = second;
    prefixes[slot] = prefix;
  }
  let fraction = (ms - second * 1000) * 10_000 + ticks;
  if (fraction === 0) return `${prefix}Z`;
  let digits = 7;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  return `${prefix}.${String(fraction).padStart(digits, '0')}Z`;
}

const seconds = new Float64Array(64).fill(Number.NaN);
const prefixes: (string | undefined)[] = new Array<string | undefined>(64);
