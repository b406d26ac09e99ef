// Types only: how `$select` and `$expand` shape the items a request returns.

type Name<E> = E extends `${infer N}(${string}` ? N : E;
type Literal<S> = S extends readonly (infer K)[] ? ('*' extends K ? never : string extends K ? never : K) : never;

/**
 * An item after a raw `$select`/`$expand` (string arrays, as the typed paths take them):
 * `Pick<T, selected | expanded>`, or `T` when nothing (or `*`) is selected.
 */
export type Narrowed<T, Select, Expand> = [Literal<Select>] extends [never] ? T : Pick<T, (Literal<Select> | Name<Literal<Expand>>) & keyof T>;

type Element<V> = V extends readonly (infer E)[] ? E : V;

// Bracketed: a nullable navigation property must not distribute into `Pick<never, …>`.
type Nested<V, Q> = [Q] extends [true]
  ? V
  : [V] extends [readonly unknown[]]
    ? Shaped<Element<V>, Q>[]
    : null extends V
      ? Shaped<NonNullable<V>, Q> | null
      : Shaped<V, Q>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ExpandMap<T, E> = {
  [K in keyof E & keyof T]?: Nested<Exclude<T[K], undefined>, E[K]>;
};

type Base<T, Select> = [Literal<Select>] extends [never] ? T : Pick<T, Literal<Select> & keyof T>;

/**
 * An item as a `{ select, expand }` query shapes it: `select: ['id', 'processingStatus']` gives
 * `Pick<UserProcessingResult, 'id' | 'processingStatus'>`; `expand: { subject: { select: ['id'] } }`
 * adds `subject` narrowed to `Pick<User, 'id'>`.
 */
export type Shaped<T, Q> = Q extends { readonly expand: infer E }
  ? E extends readonly string[]
    ? Narrowed<T, Q extends { readonly select: infer S } ? S : undefined, E>
    : Simplify<Omit<Base<T, Q extends { readonly select: infer S } ? S : undefined>, keyof E> & ExpandMap<T, E>>
  : Base<T, Q extends { readonly select: infer S } ? S : undefined>;
