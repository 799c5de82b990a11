// lazySchema (lib/model/lazy-schema.ts): nothing is built until the schema is used, and then it
// behaves as the schema it stands for wherever the product uses one.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazySchema } from '../../../lib/model/lazy-schema';

function counted<T extends z.ZodType>(build: () => T) {
  const c = { builds: 0 };
  const schema = lazySchema(() => {
    c.builds++;
    return build();
  });
  return { schema, c };
}

describe('lazySchema', () => {
  it('builds nothing when declared or composed into an object or array, once when first used', () => {
    const { schema: row, c } = counted(() => z.object({ id: z.string().min(1), n: z.number().int().optional() }));
    expect(c.builds).toBe(0);
    const page = z.object({ rows: z.array(row), first: row });
    expect(c.builds).toBe(0);
    expect(page.parse({ rows: [{ id: 'a' }, { id: 'b', n: 2 }], first: { id: 'c' } })).toEqual({ rows: [{ id: 'a' }, { id: 'b', n: 2 }], first: { id: 'c' } });
    expect(page.safeParse({ rows: [{ id: '' }], first: { id: 'c' } }).success).toBe(false);
    expect(row.parse({ id: 'x' })).toEqual({ id: 'x' });
    expect(c.builds).toBe(1);
  });

  it('refuses what the schema refuses, with zod’s own error', () => {
    const s = lazySchema(() => z.object({ code: z.string().max(3) }));
    const r = s.safeParse({ code: 'toolong' });
    expect(r.success).toBe(false);
    expect(r.error).toBeInstanceOf(z.ZodError);
    expect(() => s.parse({ code: 1 })).toThrow(z.ZodError);
  });

  it('is the schema for instanceof, .shape, .extend, .optional and unions', () => {
    const base = lazySchema(() => z.object({ kind: z.literal('a'), x: z.string() }));
    const other = lazySchema(() => z.object({ kind: z.literal('b'), y: z.number() }));
    expect(base).toBeInstanceOf(z.ZodObject);
    expect(base).toBeInstanceOf(z.ZodType);
    expect(Object.keys(base.shape)).toEqual(['kind', 'x']);
    expect(base.shape.x.safeParse(1).success).toBe(false);
    expect(base.extend({ z: z.boolean() }).parse({ kind: 'a', x: 'q', z: true })).toEqual({ kind: 'a', x: 'q', z: true });
    expect(base.optional().parse(undefined)).toBeUndefined();
    const either = z.discriminatedUnion('kind', [base, other]);
    expect(either.parse({ kind: 'b', y: 2 })).toEqual({ kind: 'b', y: 2 });
    expect(either.safeParse({ kind: 'b', y: 'no' }).success).toBe(false);
    expect(z.union([base, other]).safeParse({ kind: 'a', x: 'ok' }).success).toBe(true);
  });

  it('keeps defaults and transforms, and a method taken off it still works', () => {
    const s = lazySchema(() => z.object({ tags: z.array(z.string()).default([]), name: z.string().transform((v) => v.trim()) }));
    const { parse } = s;
    expect(parse({ name: ' 张伟 ' })).toEqual({ tags: [], name: '张伟' });
  });

  it('reports a builder that throws each time it is used, not once at declaration', () => {
    const s = lazySchema((): z.ZodString => {
      throw new Error('bad schema');
    });
    expect(() => s.parse('x')).toThrow('bad schema');
    expect(() => s.parse('x')).toThrow('bad schema');
  });
});
