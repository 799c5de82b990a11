// A zod schema built on first use. The service worker evaluates every module it bundles on each
// wake (MV3 stops it after 30 s idle), and zod constructs each schema object where it is declared:
// a few µs per node, thousands of nodes, ~13 ms of every wake for the row schemas alone (measured
// in Chromium with a build marked per module, 2026-12-07), for rows most wakes never parse.
//
// The proxy stands for the schema everywhere a schema goes: parse/safeParse, composition
// (z.object({ x: lazy }), z.array(lazy), lazy.optional(), .extend, .shape), instanceof (its
// prototype is the built schema's) and z.infer (its type is the schema's). Composing one at a
// module's top level does not build it unless the composing constructor reads it (unions do).
import type { z } from 'zod';

export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let built: T | undefined;
  const schema = (): T => (built ??= build());
  return new Proxy(Object.create(null) as object, {
    get: (_t, key) => Reflect.get(schema(), key),
    set: (_t, key, value) => Reflect.set(schema(), key, value),
    has: (_t, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    getPrototypeOf: () => Object.getPrototypeOf(schema()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(schema(), key);
      // A proxy may not report a property non-configurable that its (empty) target lacks.
      return d ? { ...d, configurable: true } : undefined;
    },
  }) as T;
}
