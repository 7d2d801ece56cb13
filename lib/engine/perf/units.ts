/**
 * Units as benchmark tools write them, normalised to Steward's canonical ones (`CANONICAL_UNIT`):
 * times to milliseconds, throughput to operations per second, sizes to bytes.
 *
 * Sizes follow the tools' own meaning: IEC prefixes are binary (1 KiB = 1024 B), SI prefixes are
 * decimal (1 kB = 1 MB / 1000 = 1000 B), as Go's `-benchmem`, Criterion and k6 print them. (Artifact
 * policies use binary multiples throughout, like `du`; a perf file says which it means.)
 */
import { CANONICAL_UNIT, type Direction, type UnitKind } from './types';

export interface ResolvedUnit {
  kind: UnitKind;
  /** Canonical unit (`ms`, `ops/s`…), or the tool's unit trimmed for `other`. */
  unit: string;
  /** A value in the tool's unit times this is the canonical unit (use `toCanonical`). */
  factor: number;
  direction: Direction;
}

const TIME_MS: Record<string, number> = {
  ps: 1e-9,
  ns: 1e-6,
  nanosecond: 1e-6,
  nanoseconds: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  microsecond: 1e-3,
  microseconds: 1e-3,
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
};

const SIZE_B: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

const OPS = new Set(['op', 'ops', 'operation', 'operations', 'iter', 'iters', 'iteration', 'iterations', 'item', 'items', 'req', 'reqs', 'request', 'requests', 'call', 'calls', 'msg', 'msgs', 'event', 'events']);
const PER_OP = new Set(['op', 'iter', 'iteration', 'call', 'run']);
const COUNTS = new Set(['count', 'allocs', 'alloc', 'allocations', 'items', 'ops', 'iterations', 'requests']);

function lookup(table: Record<string, number>, unit: string): number | undefined {
  return Object.hasOwn(table, unit) ? table[unit] : undefined;
}

/** Short time units are case-sensitive (`ms` is not `Ms`); spelled-out ones are not (`Seconds`). */
function timeFactor(unit: string): number | undefined {
  const exact = lookup(TIME_MS, unit);
  if (exact !== undefined) return exact;
  const low = unit.toLowerCase();
  return low.length > 3 ? lookup(TIME_MS, low) : undefined;
}

/** Sizes are case-insensitive (`KB`, `kB`, `kb`), except that a lone `b` (bits, often) is not a byte. */
function sizeFactor(unit: string): number | undefined {
  return unit === 'b' ? undefined : lookup(SIZE_B, unit.toLowerCase());
}

const SPLIT_PER = /^\s*([^/\s]+)\s*\/\s*([^/\s]+)\s*$/;

/**
 * Resolves a unit string. `fallbackDirection` applies to units Steward does not know (a custom
 * `score`), which are kept verbatim and only compared with themselves.
 */
export function resolveUnit(raw: string, fallbackDirection: Direction = 'smaller'): ResolvedUnit {
  const unit = raw.trim();
  const time = timeFactor(unit);
  if (time !== undefined) return { kind: 'time', unit: CANONICAL_UNIT.time, factor: time, direction: 'smaller' };
  const size = sizeFactor(unit);
  if (size !== undefined) return { kind: 'bytes', unit: CANONICAL_UNIT.bytes, factor: size, direction: 'smaller' };
  if (unit === '%' || unit.toLowerCase() === 'percent') return { kind: 'percent', unit: '%', factor: 1, direction: fallbackDirection };
  const per = SPLIT_PER.exec(unit);
  if (per) {
    const [, top, bottom] = per as unknown as [string, string, string];
    const lowTop = top.toLowerCase();
    const lowBottom = bottom.toLowerCase();
    // `ns/op`, `ms/iter`: time per operation is a latency.
    const t = timeFactor(top);
    if (t !== undefined && PER_OP.has(lowBottom)) return { kind: 'time', unit: CANONICAL_UNIT.time, factor: t, direction: 'smaller' };
    // `ops/s`, `iter/sec`, `req/ms`: operations per unit of time.
    const perTime = timeFactor(bottom);
    if (perTime !== undefined && OPS.has(lowTop)) return { kind: 'throughput', unit: CANONICAL_UNIT.throughput, factor: 1000 / perTime, direction: 'bigger' };
    // `MB/s`, `B/s`: bytes per unit of time.
    const topSize = sizeFactor(top);
    if (perTime !== undefined && topSize !== undefined) return { kind: 'bytes-per-second', unit: CANONICAL_UNIT['bytes-per-second'], factor: (topSize * 1000) / perTime, direction: 'bigger' };
    // `B/op`: memory per operation; `allocs/op`: a count per operation.
    if (topSize !== undefined && PER_OP.has(lowBottom)) return { kind: 'bytes', unit: CANONICAL_UNIT.bytes, factor: topSize, direction: 'smaller' };
    if (COUNTS.has(lowTop) && PER_OP.has(lowBottom)) return { kind: 'count', unit: CANONICAL_UNIT.count, factor: 1, direction: 'smaller' };
  }
  if (COUNTS.has(unit.toLowerCase())) return { kind: 'count', unit: CANONICAL_UNIT.count, factor: 1, direction: fallbackDirection };
  return { kind: 'other', unit: unit.slice(0, 40), factor: 1, direction: fallbackDirection };
}

/**
 * Converts a value with a resolved unit's factor. Factors below 1 (ns → ms is 1e-6) are applied as a
 * division by their integer reciprocal, so 1600 ns is exactly 0.0016 ms and not 0.0016000000000000001.
 */
export function toCanonical(value: number, factor: number): number {
  if (factor >= 1) return value * factor;
  const inverse = Math.round(1 / factor);
  return Math.abs(inverse * factor - 1) < 1e-12 ? value / inverse : value * factor;
}
