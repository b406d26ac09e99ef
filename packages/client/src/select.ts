// Types only: how `$select` and `$expand` shape the items a request returns.

type Name<E> = E extends `${infer N}(${string}` ? N : E;
type Literal<S> = S extends readonly (infer K)[] ? ('*' extends K ? never : string extends K ? never : K) : never;

/**
 * The selected properties of `T`, each present: Graph answers every selected property, with its
 * value or `null` (the schema says which may be `null`).
 */
export type Selected<T, K extends keyof T> = { [P in K]-?: T[P] };

/**
 * An item after a raw `$select`/`$expand` (string arrays, as the typed paths take them):
 * `Selected<T, selected | expanded>`, or `T` when nothing (or `*`) is selected.
 */
export type Narrowed<T, Select, Expand> = [Literal<Select>] extends [never] ? T : Selected<T, (Literal<Select> | Name<Literal<Expand>>) & keyof T>;

type Element<V> = V extends readonly (infer E)[] ? E : V;

// Bracketed: a nullable navigation property must not distribute into `Pick<never, …>`.
type Nested<V, Q> = [Q] extends [true]
  ? V
  : [V] extends [readonly unknown[]]
    ? Shaped<Element<V>, Q>[]
    : null extends V
      ? Shaped<Exclude<V, null>, Q> | null
      : Shaped<V, Q>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

// Expanded properties are present too: an array, the entity, or `null` for a single one.
type ExpandMap<T, E> = {
  [K in keyof E & keyof T]-?: Nested<Exclude<T[K], undefined>, E[K]>;
};

type Base<T, Select> = [Literal<Select>] extends [never] ? T : Selected<T, Literal<Select> & keyof T>;

/**
 * An item as a `{ select, expand }` query shapes it: `select: ['id', 'processingStatus']` gives
 * `Selected<UserProcessingResult, 'id' | 'processingStatus'>`; `expand: { subject: { select: ['id'] } }`
 * adds `subject` narrowed to `Selected<User, 'id'> | null`.
 */
export type Shaped<T, Q> = Q extends { readonly expand: infer E }
  ? E extends readonly string[]
    ? Narrowed<T, Q extends { readonly select: infer S } ? S : undefined, E>
    : Simplify<Omit<Base<T, Q extends { readonly select: infer S } ? S : undefined>, keyof E> & ExpandMap<T, E>>
  : Base<T, Q extends { readonly select: infer S } ? S : undefined>;
