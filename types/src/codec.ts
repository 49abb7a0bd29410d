// Codecs: one value describes both the TypeScript type (via Infer) and the runtime validator,
// so the two cannot drift. Every value that crosses a process or disk boundary is decoded here.

export class DecodeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${path || "value"}: expected ${expected}, got ${describe(got)}`);
    this.name = "DecodeError";
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "string") return v.length > 40 ? `string "${v.slice(0, 40)}..."` : `string "${v}"`;
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v} ${String(v)}`;
  return typeof v;
}

export interface Codec<T> {
  readonly name: string;
  /** Validates `input` (already JSON-parsed) and returns it typed; throws DecodeError. */
  decode(input: unknown, path?: string): T;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

function codec<T>(name: string, decode: (input: unknown, path: string) => T): Codec<T> {
  return { name, decode: (input, path = "") => decode(input, path) };
}

export const string = codec<string>("string", (v, p) => {
  if (typeof v !== "string") throw new DecodeError(p, "string", v);
  return v;
});

export const number = codec<number>("number", (v, p) => {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new DecodeError(p, "finite number", v);
  return v;
});

export const integer = codec<number>("integer", (v, p) => {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new DecodeError(p, "integer", v);
  return v;
});

export const boolean = codec<boolean>("boolean", (v, p) => {
  if (typeof v !== "boolean") throw new DecodeError(p, "boolean", v);
  return v;
});

export const unknown = codec<unknown>("unknown", (v) => v);

export function literal<const L extends string | number | boolean>(value: L): Codec<L> {
  return codec(JSON.stringify(value), (v, p) => {
    if (v !== value) throw new DecodeError(p, JSON.stringify(value), v);
    return value;
  });
}

export function oneOf<const L extends readonly (string | number)[]>(values: L): Codec<L[number]> {
  const allowed = new Set<unknown>(values);
  return codec(values.join("|"), (v, p) => {
    if (!allowed.has(v)) throw new DecodeError(p, `one of ${values.join(", ")}`, v);
    return v as L[number];
  });
}

export function range(base: Codec<number>, min: number, max: number): Codec<number> {
  return codec(`${base.name}[${min}..${max}]`, (v, p) => {
    const n = base.decode(v, p);
    if (n < min || n > max) throw new DecodeError(p, `${base.name} in [${min}, ${max}]`, v);
    return n;
  });
}

export function array<T>(item: Codec<T>): Codec<T[]> {
  return codec(`${item.name}[]`, (v, p) => {
    if (!Array.isArray(v)) throw new DecodeError(p, "array", v);
    return v.map((x, i) => item.decode(x, `${p}[${i}]`));
  });
}

export function record<T>(value: Codec<T>): Codec<Record<string, T>> {
  return codec(`record<${value.name}>`, (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new DecodeError(p, "object", v);
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) out[k] = value.decode(x, `${p}.${k}`);
    return out;
  });
}

/** Marks a field that may be absent (or undefined); absent stays absent. */
export interface OptionalCodec<T> extends Codec<T | undefined> {
  readonly optional: true;
}

export function optional<T>(inner: Codec<T>): OptionalCodec<T> {
  return {
    name: `${inner.name}?`,
    optional: true,
    decode: (v, p = "") => (v === undefined ? undefined : inner.decode(v, p)),
  };
}

/** A field with a default: absent in the input means `value`; always present in the decoded type. */
export function withDefault<T>(inner: Codec<T>, value: T): Codec<T> {
  return {
    name: inner.name,
    decode: (v: unknown, p = "") => (v === undefined ? value : inner.decode(v, p)),
  };
}

type Shape = Record<string, Codec<unknown>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends OptionalCodec<unknown> ? K : never;
}[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** An object with known fields; unknown fields are dropped so stored values stay canonical. */
export function object<S extends Shape>(shape: S, name = "object"): Codec<ObjectOf<S>> & { shape: S } {
  const entries = Object.entries(shape);
  const c = codec<ObjectOf<S>>(name, (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new DecodeError(p, name, v);
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, fc] of entries) {
      const x = fc.decode(src[k], p ? `${p}.${k}` : k);
      if (x !== undefined) out[k] = x;
    }
    return out as ObjectOf<S>;
  });
  return { ...c, shape };
}

/** Decodes JSON text (or bytes) with a codec; both parse and shape errors become DecodeError. */
export function decodeJson<T>(c: Codec<T>, text: string | Uint8Array): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof text === "string" ? text : Buffer.from(text).toString("utf8"));
  } catch (e) {
    throw new DecodeError("", `JSON (${(e as Error).message})`, "malformed text");
  }
  return c.decode(parsed);
}
