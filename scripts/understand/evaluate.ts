// The evaluation behind `npm run eval` (issue 18): precision, recall and F1 per label with 95%
// confidence intervals, the confusion examples, and the frozen test file's hash check. Pure
// functions over labelled rows and a predictor, so the smoke test runs it on a small slice.
//
// Intervals: precision and recall are binomial proportions (tp of tp+fp, tp of tp+fn), so they
// get the Wilson score interval (z = 1.96). F1 is not a proportion: its interval is a seeded
// percentile bootstrap over messages (1,000 resamples).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FOLLOW_UP_METHODS, type FollowUpMethod } from '../../lib/model/enums';

export const labelledSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  lang: z.enum(['zh', 'en', 'mixed']),
  domain: z.string().min(1),
  labels: z.object({
    buying: z.boolean(),
    complaint: z.boolean(),
    noise: z.boolean(),
    methods: z.array(z.enum(FOLLOW_UP_METHODS)),
  }),
  hard: z.boolean(),
  sentAt: z.string().optional(),
});
export type Labelled = z.infer<typeof labelledSchema>;

export interface Prediction {
  buying: boolean;
  complaint: boolean;
  noise: boolean;
  methods: FollowUpMethod[];
}

/** Reads a corpus file: one JSON object a line; `{"_comment": …}` header lines are skipped. */
export function readCorpus(path: string): Labelled[] {
  const rows: Labelled[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const json = JSON.parse(line) as Record<string, unknown>;
      if ('_comment' in json) return;
      const r = labelledSchema.safeParse(json);
      if (!r.success) throw new Error(`${path}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      rows.push(r.data);
    });
  if (!rows.length) throw new Error(`${path}: no labelled messages`);
  return rows;
}

export interface HashCheck {
  file: string;
  expected: string;
  actual: string;
  ok: boolean;
}

export function checkHash(file: string, hashFile: string): HashCheck {
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
  const expected = readFileSync(hashFile, 'utf8').trim();
  return { file, expected, actual, ok: actual === expected };
}

// ---- statistics -----------------------------------------------------------------------

/** Wilson score interval for k successes out of n (95%). n = 0 gives [0, 1]. */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = p + (z * z) / (2 * n);
  const h = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, (c - h) / d), Math.min(1, (c + h) / d)];
}

/** mulberry32: a small seeded generator, so the bootstrap prints the same interval every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const f1Of = (c: Counts): number => (2 * c.tp + c.fp + c.fn ? (2 * c.tp) / (2 * c.tp + c.fp + c.fn) : 1);

export interface Metric {
  value: number;
  lo: number;
  hi: number;
}
export interface LabelScore extends Counts {
  support: number;
  precision: Metric;
  recall: Metric;
  f1: Metric;
}

export const LABELS = ['buying', 'complaint', 'noise', 'method'] as const;
export type LabelName = (typeof LABELS)[number];

/** Per-message counts for one label; method is scored per (message, method) pair. */
function countsFor(label: LabelName, r: Labelled, p: Prediction): Counts {
  if (label === 'method') {
    const want = new Set(r.labels.methods);
    const got = new Set(p.methods);
    let tp = 0;
    for (const m of got) if (want.has(m)) tp++;
    return { tp, fp: got.size - tp, fn: want.size - tp };
  }
  const l = r.labels[label];
  const q = p[label];
  return { tp: l && q ? 1 : 0, fp: !l && q ? 1 : 0, fn: l && !q ? 1 : 0 };
}

const sum = (cs: readonly Counts[], idx?: readonly number[]): Counts => {
  const out = { tp: 0, fp: 0, fn: 0 };
  const it = idx ?? cs.map((_, i) => i);
  for (const i of it) {
    const c = cs[i]!;
    out.tp += c.tp;
    out.fp += c.fp;
    out.fn += c.fn;
  }
  return out;
};

export function scoreLabel(label: LabelName, rows: readonly Labelled[], preds: readonly Prediction[], resamples = 1000): LabelScore {
  const per = rows.map((r, i) => countsFor(label, r, preds[i]!));
  const c = sum(per);
  const [plo, phi] = wilson(c.tp, c.tp + c.fp);
  const [rlo, rhi] = wilson(c.tp, c.tp + c.fn);
  const rand = rng(0x5eed + LABELS.indexOf(label));
  const f1s: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const idx = Array.from({ length: per.length }, () => Math.floor(rand() * per.length));
    f1s.push(f1Of(sum(per, idx)));
  }
  f1s.sort((a, b) => a - b);
  const q = (x: number) => f1s[Math.min(f1s.length - 1, Math.floor(x * f1s.length))] ?? 0;
  return {
    ...c,
    support: c.tp + c.fn,
    precision: { value: c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1, lo: plo, hi: phi },
    recall: { value: c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1, lo: rlo, hi: rhi },
    f1: { value: f1Of(c), lo: q(0.025), hi: q(0.975) },
  };
}

export interface Confusion {
  label: LabelName;
  kind: 'FP' | 'FN';
  id: string;
  text: string;
  detail?: string;
}

export interface SystemReport {
  name: string;
  n: number;
  labels: Record<LabelName, LabelScore>;
  /** F1 per label on the hard and the easy messages. */
  byHardness: Record<'hard' | 'easy', Record<LabelName, number>>;
  confusions: Confusion[];
}

export function evaluateSystem(name: string, rows: readonly Labelled[], preds: readonly Prediction[], opts: { examples?: number; resamples?: number } = {}): SystemReport {
  if (rows.length !== preds.length) throw new Error(`${name}: ${preds.length} predictions for ${rows.length} messages`);
  const labels = Object.fromEntries(LABELS.map((l) => [l, scoreLabel(l, rows, preds, opts.resamples)])) as Record<LabelName, LabelScore>;
  const byHardness = { hard: {}, easy: {} } as SystemReport['byHardness'];
  for (const h of ['hard', 'easy'] as const) {
    const idx = rows.map((r, i) => (r.hard === (h === 'hard') ? i : -1)).filter((i) => i >= 0);
    for (const l of LABELS) byHardness[h][l] = f1Of(sum(idx.map((i) => countsFor(l, rows[i]!, preds[i]!))));
  }
  const per = opts.examples ?? 4;
  const confusions: Confusion[] = [];
  for (const l of LABELS) {
    const fps: Confusion[] = [];
    const fns: Confusion[] = [];
    rows.forEach((r, i) => {
      const c = countsFor(l, r, preds[i]!);
      const detail = l === 'method' ? `said ${preds[i]!.methods.join('+') || '–'}, label ${r.labels.methods.join('+') || '–'}` : undefined;
      if (c.fp) fps.push({ label: l, kind: 'FP', id: r.id, text: r.text, ...(detail ? { detail } : {}) });
      if (c.fn) fns.push({ label: l, kind: 'FN', id: r.id, text: r.text, ...(detail ? { detail } : {}) });
    });
    // Spread the examples over the file rather than the first few lines of one domain.
    const pick = (xs: Confusion[]) => (xs.length <= per ? xs : Array.from({ length: per }, (_, k) => xs[Math.floor((k * xs.length) / per)]!));
    confusions.push(...pick(fps), ...pick(fns));
  }
  return { name, n: rows.length, labels, byHardness, confusions };
}

// ---- printing -------------------------------------------------------------------------

const f = (x: number) => x.toFixed(3);
const m = (x: Metric) => `${f(x.value)} [${f(x.lo)}, ${f(x.hi)}]`;

export function formatSystem(r: SystemReport): string {
  const lines = [`## ${r.name} (${r.n} messages)`, '', '| label | support | tp | fp | fn | precision [95% Wilson] | recall [95% Wilson] | F1 [95% bootstrap] | F1 hard / easy |', '|---|---|---|---|---|---|---|---|---|'];
  for (const l of LABELS) {
    const s = r.labels[l];
    lines.push(`| ${l} | ${s.support} | ${s.tp} | ${s.fp} | ${s.fn} | ${m(s.precision)} | ${m(s.recall)} | ${m(s.f1)} | ${f(r.byHardness.hard[l])} / ${f(r.byHardness.easy[l])} |`);
  }
  lines.push('', 'Confusion examples:');
  for (const c of r.confusions) lines.push(`- ${c.label} ${c.kind} ${c.id}: ${c.text}${c.detail ? `  (${c.detail})` : ''}`);
  return lines.join('\n');
}

export function formatHash(h: HashCheck): string {
  if (h.ok) return `test file hash OK: ${h.actual} (${h.file})`;
  const bar = '!'.repeat(78);
  return [
    bar,
    `!!! WARNING: ${h.file} HAS CHANGED since its hash was recorded.`,
    `!!! recorded: ${h.expected}`,
    `!!! now:      ${h.actual}`,
    '!!! The test part is frozen: a changed file means these figures are not comparable.',
    bar,
  ].join('\n');
}
