// The corpus as committed (issue 18, data/understand): every development file — the model's
// dev*.jsonl and the rules-only rules-dev-*.jsonl — parses to the corpus's shape, its ids are
// unique across files, and none of its texts is a text of the frozen test part (a line copied
// across would let tuning see the test).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FOLLOW_UP_METHODS } from '../../../lib/model/enums';
import { normalize } from '../../../lib/understand/normalize';

const DIR = join(import.meta.dirname, '../../../data/understand');
const line = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  lang: z.enum(['zh', 'en', 'mixed']),
  domain: z.string().min(1),
  labels: z.object({ buying: z.boolean(), complaint: z.boolean(), noise: z.boolean(), methods: z.array(z.enum(FOLLOW_UP_METHODS)) }),
  hard: z.boolean(),
});
const read = (f: string) =>
  readFileSync(join(DIR, f), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((o) => !('_comment' in o));
const key = (t: string) => normalize(t).replace(/\s+/gu, ' ').trim();

describe('the committed corpus', () => {
  const files = readdirSync(DIR).filter((f) => /^(rules-)?dev[\w-]*\.jsonl$/u.test(f));

  it('has the model’s development files, the seven writers’ (the fifth to seventh trained on since 2026-12-07)', () => {
    expect(files).toContain('dev.jsonl');
    expect(files).toContain('dev-w5.jsonl');
    expect(files).toContain('dev-w6.jsonl');
    expect(files).toContain('dev-w7.jsonl');
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  it('parses every development line to the corpus shape, with ids unique across files', () => {
    const ids = new Set<string>();
    for (const f of files) {
      const rows = read(f);
      expect(rows.length, f).toBeGreaterThan(0);
      rows.forEach((r, i) => {
        const parsed = line.safeParse(r);
        expect(parsed.success, `${f} line ${i + 1}: ${parsed.success ? '' : parsed.error.issues[0]?.message}`).toBe(true);
        expect(ids.has(String(r.id)), `${f}: id ${String(r.id)} repeated`).toBe(false);
        ids.add(String(r.id));
      });
    }
  });

  it('shares no text with the frozen test part', () => {
    const test = new Set(read('test.jsonl').map((r) => key(String(r.text))));
    expect(test.size).toBeGreaterThan(600);
    const shared = files.flatMap((f) => read(f).filter((r) => test.has(key(String(r.text)))).map((r) => `${f}:${String(r.id)}`));
    expect(shared).toEqual([]);
  });
});
