import { suggestProperty } from '@idgov/odata';

/** Exit codes, as documented in the README. */
export const exitCodes = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A command line the CLI cannot run as written: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One flag: `--name <value>` (a string, possibly repeated) or `--name` (a boolean). */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in help, e.g. `<a,b>`. */
  readonly value?: string;
  readonly help: string;
  /** A string flag that may be given more than once (`--user a --user b`). */
  readonly multiple?: boolean;
  readonly short?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** Parsed flags: strings (or lists of them for `multiple`), `true` for booleans given. */
export type Flags = Readonly<Record<string, string | readonly string[] | true | undefined>>;

/**
 * Parses flags and positionals against a command's own flags, so a flag the command does not use
 * is refused (with the nearest known flag) rather than accepted and ignored.
 * Accepts `--name value`, `--name=value`, short aliases and `--` before positionals.
 */
export function parseCommandLine(argv: readonly string[], specs: FlagSpecs, command: string): { flags: Flags; positionals: string[] } {
  const flags: Record<string, string | string[] | true> = {};
  const positionals: string[] = [];
  const shorts = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.short === undefined ? [] : [[spec.short, name] as const])));
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] ?? '';
    if (token === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      positionals.push(token);
      continue;
    }
    const equals = token.indexOf('=');
    const written = equals === -1 ? token : token.slice(0, equals);
    const name = written.startsWith('--') ? written.slice(2) : shorts.get(written.slice(1));
    const spec = name === undefined ? undefined : specs[name];
    if (name === undefined || spec === undefined) throw unknownFlag(written, specs, command);
    if (spec.type === 'boolean') {
      if (equals !== -1) throw new UsageError(`${written} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = equals === -1 ? argv[++index] : token.slice(equals + 1);
    if (value === undefined) throw new UsageError(`${written} needs a value${spec.value === undefined ? '' : ` ${spec.value}`}`);
    const before = flags[name];
    if (before !== undefined && spec.multiple !== true) throw new UsageError(`${written} is given twice`);
    flags[name] = spec.multiple === true ? [...(Array.isArray(before) ? before : []), value] : value;
  }
  return { flags, positionals };
}

function unknownFlag(written: string, specs: FlagSpecs, command: string): UsageError {
  const near = suggestProperty(written.replace(/^-+/, ''), Object.keys(specs));
  const hint = near === undefined ? `see idgov ${command} --help` : `did you mean --${near}?`;
  return new UsageError(`${command} has no flag ${written} (${hint})`);
}

/** A string flag's value, if given. */
export function text(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable flag's values, also when written comma-separated (`--user a,b`). */
export function list(flags: Flags, name: string): string[] {
  const value = flags[name];
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as readonly string[]) : [];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** A whole number flag within bounds. */
export function integer(flags: Flags, name: string, min: number, max: number): number | undefined {
  const value = text(flags, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not '${value}'`);
  return Number(value);
}
