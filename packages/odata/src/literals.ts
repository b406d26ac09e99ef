import type { EnumMetadata } from '@idgov/types';
import { isDateTimeText } from './instant.js';

declare const brand: unique symbol;

/** A literal node of a known type, made by one of the typed escape hatches. */
export interface TypedLiteral<Type extends 'string' | 'guid' | 'dateTimeOffset' | 'date' | 'duration', Member extends string = string> {
  readonly kind: 'literal';
  readonly type: Type;
  readonly value: string;
  readonly [brand]?: Member;
}

/** An ISO 8601 date-time with offset, checked at run time (`2024-01-01T00:00:00.1234567Z`). */
export type IsoDateTimeString = `${number}-${number}-${number}T${number}:${number}${string}`;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A GUID literal, written bare (`skuId eq 184efa21-98c3-4e5d-95ab-d07053a96e67`).
 * @throws {RangeError} when `value` is not a GUID.
 */
export function guid(value: string): TypedLiteral<'guid'> {
  if (!GUID.test(value)) throw new RangeError(`Not a GUID: '${value}'`);
  return { kind: 'literal', type: 'guid', value };
}

/**
 * A date-time literal. A `Date` becomes UTC with milliseconds; a string is kept as written
 * (all 7 fraction digits Graph sends) after checking it is ISO 8601 with an offset.
 * @throws {RangeError} for an invalid date or a string without offset.
 */
export function dateTimeOffset(value: Date | string): TypedLiteral<'dateTimeOffset'> {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('Invalid Date');
    return { kind: 'literal', type: 'dateTimeOffset', value: value.toISOString() };
  }
  if (!isDateTimeText(value)) throw new RangeError(`Not an ISO 8601 date-time with offset: '${value}'`);
  return { kind: 'literal', type: 'dateTimeOffset', value };
}

/**
 * An enum member (or, for a flags enum, several joined by commas), checked against the enum's
 * metadata; Graph compares enums as quoted strings (`category has 'joiner'`).
 * @throws {RangeError} for a value that is not a member, or several values of a non-flags enum.
 */
export function enumLiteral<const E extends EnumMetadata, const V extends E['members'][number]>(metadata: E, ...values: [V, ...V[]]): TypedLiteral<'string', V> {
  for (const v of values) if (!metadata.members.includes(v)) throw new RangeError(`'${v}' is not one of ${metadata.members.join(', ')}`);
  if (values.length > 1 && !metadata.flags) throw new RangeError('Only a flags enum takes several members');
  return { kind: 'literal', type: 'string', value: values.join(',') };
}
