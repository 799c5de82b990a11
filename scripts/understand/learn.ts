// Training, calibration and threshold choice for the understanding model (issue 18), shared by
// train.ts (writes the shipped weights) and cv.ts (cross-validation that chooses every setting).
// Deterministic: no random numbers except the seeded fold assignment; rows are visited in a
// fixed order, features are sorted, so the same rows and options give the same weights.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MODEL_LABELS, type ModelLabel } from '../../lib/understand/model/classify';
import { type EncodeInput, type StoredWeights, encodeWeights } from '../../lib/understand/model/weights-format';
import { DEFAULT_FEATURES, type FeatureOptions, features } from '../../lib/understand/model/features';
import { type Labelled, readCorpus, rng } from './evaluate';
import { evalContext, signalsOf } from './predictors';
import type { MessageSignals } from '../../lib/understand';

export const DATA_DIR = fileURLToPath(new URL('../../data/understand/', import.meta.url));

/** Every development file: dev.jsonl and dev-*.jsonl / dev*.jsonl, never test*. Sorted by name. */
export function devFiles(dir = DATA_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /^dev[\w-]*\.jsonl$/u.test(f) && !f.startsWith('test'))
    .sort((a, b) => (a === 'dev.jsonl' ? -1 : b === 'dev.jsonl' ? 1 : a.localeCompare(b)));
}

export interface DevRow extends Labelled {
  file: string;
}

/** The rules-only development files (rules-dev-*.jsonl): training never reads them; cv.ts --score-extra scores them as unseen writers. */
export function rulesOnlyFiles(dir = DATA_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /^rules-dev[\w-]*\.jsonl$/u.test(f))
    .sort();
}

/**
 * The rows of `files` (in `dir`) to score as writers the model never saw: a line whose id or text
 * is already among `seen` (the training rows) or earlier in these files is dropped and counted, so
 * no scored line was trained on.
 */
export function readUnseen(files: readonly string[], seen: readonly Labelled[], dir = DATA_DIR, log: (s: string) => void = console.log): DevRow[] {
  const ids = new Set(seen.map((r) => r.id));
  const texts = new Set(seen.map((r) => r.text.trim()));
  const rows: DevRow[] = [];
  for (const f of files) {
    const { n, dup } = takeNew(dir, f, ids, texts, rows);
    log(`  ${f} (scored only): ${n} messages${dup ? ` (${dup} already among the training lines, dropped)` : ''}`);
  }
  return rows;
}

/** Appends the lines of one file whose id and text are not yet among `ids` / `texts` (and records theirs). */
function takeNew(dir: string, f: string, ids: Set<string>, texts: Set<string>, rows: DevRow[]): { n: number; dup: number } {
  let dup = 0;
  let n = 0;
  for (const r of readCorpus(`${dir}${f}`)) {
    const key = r.text.trim();
    if (ids.has(r.id) || texts.has(key)) {
      dup++;
      continue;
    }
    ids.add(r.id);
    texts.add(key);
    rows.push({ ...r, file: f });
    n++;
  }
  return { n, dup };
}

/** All development rows with their file; duplicate ids or texts across files are reported and the later copy dropped. */
export function readDev(dir = DATA_DIR, log: (s: string) => void = console.log): DevRow[] {
  const rows: DevRow[] = [];
  const ids = new Set<string>();
  const texts = new Set<string>();
  for (const f of devFiles(dir)) {
    if (!readFileSync(`${dir}${f}`, 'utf8').trim()) {
      log(`  ${f}: empty, skipped`);
      continue;
    }
    const { n, dup } = takeNew(dir, f, ids, texts, rows);
    log(`  ${f}: ${n} messages${dup ? ` (${dup} duplicates of earlier lines dropped)` : ''}`);
  }
  if (!rows.length) throw new Error(`no development messages in ${dir}`);
  return rows;
}

export interface LearnOptions {
  features: FeatureOptions;
  /** Keep a text feature seen in at least this many training messages (rule features always kept). */
  minCount: number;
  epochs: number;
  lr: number;
  l2: number;
  /** Weight of a positive example relative to a negative one, per label (1: none). */
  posWeight: Record<ModelLabel, number>;
  /** Inner folds for the out-of-fold scores that calibrate and set thresholds. */
  folds: number;
  /**
   * How those inner folds are made: 'rows' — stratified folds of all rows; 'writer' — one fold
   * per development file (each written by another writer), so every out-of-fold score comes from
   * a model that never saw that writer's words, as in use (falls back to 'rows' with one file).
   */
  calibrateBy: 'rows' | 'writer';
  /** Thresholds: the lowest whose out-of-fold precision reaches this, if its recall stays ≥ minRecall; else best F1. */
  targetPrecision: Record<ModelLabel, number>;
  /**
   * Whose precision must reach the target: 'pooled' — all out-of-fold rows together; 'writerMean'
   * — the mean of each development file's (writer's) precision, the figure a new writer is judged
   * by; 'writerMin' — every file's. Recall is read the same way (pooled, mean, lowest). Falls back
   * to 'pooled' when the rows' files are not known.
   */
  thresholdBy: 'pooled' | 'writerMean' | 'writerMin';
  /** Per label: noise puts precision first (a message wrongly called noise is lost), so it accepts a lower recall. */
  minRecall: Record<ModelLabel, number>;
  /**
   * What the method gate learns: 'any' — the message names a channel (labels.methods non-empty);
   * 'rulePick' — and the channel the rules picked, if any, is one of the labelled ones (the gate
   * only ever confirms the rules' pick).
   */
  methodTarget: 'any' | 'rulePick';
  /** Use the method gate at all; off, its threshold is 0 and the rules' method stands. */
  methodGate: boolean;
  /** Noise only where the rules' noise agrees (classify.ts). */
  noiseNeedsRules: boolean;
  /** Drop final weights whose largest magnitude is below this (size bound). */
  prune: number;
}

export const DEFAULT_LEARN: LearnOptions = {
  features: DEFAULT_FEATURES,
  // L2 5e-2 first chosen by cv.ts on the 3,224 dev messages against minCount 2 / L2 3e-2, when the
  // v2 format's size bound (~9,700 features) made every larger vocabulary a harder pruning; with
  // the compact v3 format (lib/understand/model/weights-format.ts, ~11 bytes a feature) it binds
  // only past ~27,000 features (charMax 4 with minCount 2: 31,043, the largest kept). Re-chosen on 4,542 dev messages (cv.ts --lofo-only, mean F1
  // over the four left-out writers, 2026-12-07), 13 settings tried: minCount 3 → 2 (19,252
  // features, 208 kB) buying 0.885 → 0.885, complaint 0.893 → 0.906, noise 0.894 → 0.903,
  // method 0.960 (rules); mean P/R buying 0.897/0.877 → 0.901/0.872, complaint 0.912/0.879 →
  // 0.909/0.904; but 5-fold over all four files (writers seen in training) went the other way,
  // buying 0.906 → 0.900, complaint 0.908 both, noise 0.901 → 0.893. No better on LOFO:
  // charMax 4 (buying 0.886, complaint 0.894), charMax 4 + minCount 2 (0.886 / 0.898), wordMax 3
  // (0.887 / 0.894; with minCount 2 0.886 / 0.902), L2 3e-2 with minCount 2 (0.883 / 0.902),
  // L2 0.1 (0.889 / 0.902 but noise 0.825), prune 0.01 (the same figures as 0.002).
  // Kept with six files training (2026-12-07, six unseen writers, mean P / R): minCount 3 buying
  // 0.933 / 0.896, complaint 0.937 / 0.913; L2 0.1 0.931 / 0.904, 0.938 / 0.917 (noise R 0.837);
  // L2 3e-2 0.933 / 0.897, 0.937 / 0.919; these defaults 0.932 / 0.901, 0.940 / 0.922.
  minCount: 2,
  epochs: 25,
  // lr 0.1 against 0.3 / 0.05 by cv.ts (k-fold / leave-one-file-out F1 buying 0.900/0.855 → 0.902/0.858,
  // complaint 0.889/0.851 → 0.895/0.860, noise 0.906/0.840 → 0.916/0.879)
  lr: 0.1,
  l2: 5e-2,
  posWeight: { buying: 1, complaint: 1, noise: 1, method: 1 },
  folds: 5,
  // cv.ts on 4,557 dev messages: writer folds lowered the thresholds (leave-one-file-out buying P
  // 0.88–0.90 → 0.84–0.88 for R +0.04) and mean F1 barely moved (buying 0.881 both, complaint
  // 0.892 → 0.900, noise 0.915 → 0.910), so the stratified row folds stay. Again on 4,542 with the
  // v3 format (2026-12-07): with minCount 2, writer folds gave buying F1 0.884 (P 0.874, R 0.895),
  // complaint 0.904, noise 0.891 against rows' 0.885 (P 0.901, R 0.872) / 0.906 / 0.903; with
  // charMax 4 they tied minCount 2's buying + complaint mean (0.8955) at buying P 0.871.
  // Again on 6,476 (2026-12-07, calibration session; data/understand/README.md has the table), judged
  // on six writers each unseen — LOFO over the training files, the rules-only files scored by
  // cv.ts --score-extra — by mean recall at a mean precision ≥ 0.93: on the four files, writer folds
  // gave buying P 0.889 R 0.900, complaint P 0.921 R 0.905 against rows' 0.911 / 0.880, 0.912 / 0.916
  // (both under 0.93); with all six files training (the change made), writer folds 0.941 / 0.897,
  // 0.943 / 0.916 against rows' 0.932 / 0.901, 0.940 / 0.922: rows stay, the difference is noise.
  calibrateBy: 'rows',
  // noise 0.97, not the goal's 0.95: aimed at 0.95 on out-of-fold rows, noise precision on a
  // writer left out was 0.927 (dev-en2) and 0.933 (dev-zh2); aimed at 0.97 it is 0.953–1.000 on
  // all four files (recall 0.76–0.94), at 0.98 recall falls to 0.56 (cv.ts --lofo, 2026-12-06).
  targetPrecision: { buying: 0.93, complaint: 0.93, noise: 0.97, method: 0.95 },
  // Pooled, not the writers' mean or lowest (2026-12-07, six files training, same criterion as
  // calibrateBy): writerMean buying P 0.930 R 0.902, complaint 0.937 / 0.922 (pooled 0.932 / 0.901,
  // 0.940 / 0.922), a tie; writerMin 0.933 / 0.898, 0.942 / 0.916 (less recall), and with writer
  // folds it misses its target, falls back to best F1 and goes under 0.93 (buying P 0.919). Target
  // 0.94 (minRecall 0.6 so the target holds) bought precision 0.942 / 0.950 for recall 0.891 / 0.904;
  // 0.92 gave buying P 0.922, complaint 0.929, under the goal.
  thresholdBy: 'pooled',
  minRecall: { buying: 0.85, complaint: 0.85, noise: 0.6, method: 0.85 },
  prune: 0.002,
  methodTarget: 'rulePick',
  // cv.ts on 3,224 dev messages: noise P 0.856 → 0.887 (k-fold), F1 0.889 → 0.891
  noiseNeedsRules: true,
  // cv.ts: the gate did not help once the method rules were fixed (leave-one-file-out method F1
  // 0.954 with it, 0.970 without; k-fold 0.967 / 0.969), so the rules' method stands.
  methodGate: false,
};

export const L = MODEL_LABELS.length;

export interface Example {
  f: string[];
  y: number[];
  /** The rules found a method: only then does the method gate decide anything. */
  ruleMethod: boolean;
  /** The development file it came from (its writer), when known. */
  group?: string;
}

export function target(r: Pick<Labelled, 'labels'>): number[] {
  return MODEL_LABELS.map((l) => (l === 'method' ? (r.labels.methods.length > 0 ? 1 : 0) : r.labels[l] ? 1 : 0));
}

/** Rule signals once per row (they do not depend on the options). */
export function signalsFor(rows: readonly Labelled[]): MessageSignals[] {
  const ctx = evalContext();
  return rows.map((r) => signalsOf(r, ctx));
}

export function examples(rows: readonly Labelled[], sigs: readonly MessageSignals[], o: FeatureOptions, methodTarget: LearnOptions['methodTarget'] = DEFAULT_LEARN.methodTarget): Example[] {
  return rows.map((r, i) => {
    const y = target(r);
    const m = sigs[i]!.method;
    if (methodTarget === 'rulePick' && m && !r.labels.methods.includes(m.method)) y[MODEL_LABELS.indexOf('method')] = 0;
    const file = (r as Partial<DevRow>).file;
    return { f: features(r.text, sigs[i]!, o), y, ruleMethod: !!m, ...(file ? { group: file } : {}) };
  });
}

export interface Trained {
  bias: number[];
  /** feature → weights per label */
  w: Map<string, number[]>;
}

/** One L2-regularised logistic regression per label, AdaGrad over the rows in order. */
export function train(xs: readonly Example[], o: LearnOptions): Trained {
  const count = new Map<string, number>();
  for (const x of xs) for (const f of x.f) count.set(f, (count.get(f) ?? 0) + 1);
  const vocab = [...count].filter(([f, c]) => c >= o.minCount || f.startsWith('r:')).map(([f]) => f).sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const W = new Float64Array(vocab.length * L);
  const G = new Float64Array(vocab.length * L).fill(1e-8);
  const bias = new Array<number>(L).fill(0);
  const bg = new Array<number>(L).fill(1e-8);
  const rowsIdx = xs.map((x) => x.f.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
  const pw = MODEL_LABELS.map((l) => o.posWeight[l]);
  for (let e = 0; e < o.epochs; e++) {
    xs.forEach((x, r) => {
      const fs = rowsIdx[r]!;
      for (let k = 0; k < L; k++) {
        let z = bias[k]!;
        for (const i of fs) z += W[i * L + k]!;
        const y = x.y[k]!;
        const g = (1 / (1 + Math.exp(-z)) - y) * (y ? pw[k]! : 1);
        bg[k]! += g * g;
        bias[k]! -= (o.lr * g) / Math.sqrt(bg[k]!);
        for (const i of fs) {
          const j = i * L + k;
          const gf = g + o.l2 * W[j]!;
          G[j]! += gf * gf;
          W[j]! -= (o.lr * gf) / Math.sqrt(G[j]!);
        }
      }
    });
  }
  const w = new Map<string, number[]>();
  vocab.forEach((f, i) => w.set(f, Array.from(W.subarray(i * L, i * L + L))));
  return { bias, w };
}

export function raw(t: Trained, f: readonly string[]): number[] {
  const z = [...t.bias];
  for (const x of f) {
    const v = t.w.get(x);
    if (v) for (let k = 0; k < L; k++) z[k]! += v[k]!;
  }
  return z;
}

/** Platt scaling with Platt's smoothed targets, fitted by Newton's method with backtracking. */
export function platt(scores: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const pos = ys.filter((y) => y === 1).length;
  const neg = ys.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const t = ys.map((y) => (y ? hi : lo));
  const loss = (a: number, b: number) =>
    scores.reduce((acc, s, i) => {
      const z = a * s + b;
      return acc + (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i]! * z;
    }, 0);
  let a = 1;
  let b = 0;
  let cur = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
    scores.forEach((s, i) => {
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const d = p - t[i]!;
      const v = p * (1 - p);
      ga += d * s;
      gb += d;
      haa += v * s * s;
      hab += v * s;
      hbb += v;
    });
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    while (step > 1e-6 && loss(a - step * da, b - step * db) > cur) step /= 2;
    if (step <= 1e-6) break;
    a -= step * da;
    b -= step * db;
    const next = loss(a, b);
    if (cur - next < 1e-10) break;
    cur = next;
  }
  return { a, b };
}

export function prf(ps: readonly number[], ys: readonly number[], th: number) {
  let tp = 0, fp = 0, fn = 0;
  ps.forEach((p, i) => {
    const q = p >= th;
    if (q && ys[i]) tp++;
    else if (q) fp++;
    else if (ys[i]) fn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  return { precision, recall, f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : 1 };
}

/**
 * The lowest threshold whose precision reaches the target while recall stays ≥ minRecall (a
 * suggestion the user has to undo costs more than one not made); when no threshold does both,
 * the one with the best F1.
 */
export function chooseThreshold(ps: readonly number[], ys: readonly number[], targetP: number, minRecall: number, by: { groups: readonly string[]; how: 'writerMean' | 'writerMin' } | undefined = undefined): number {
  const grid = Array.from({ length: 95 }, (_, i) => 0.03 + i * 0.01);
  const measure = by ? writerPrf(ps, ys, by.groups, by.how) : (th: number) => prf(ps, ys, th);
  const ok = grid.find((th) => {
    const m = measure(th);
    return m.precision >= targetP && m.recall >= minRecall;
  });
  if (ok !== undefined) return ok;
  let best = 0.5;
  let bestF = -1;
  for (const th of grid) {
    const { f1 } = measure(th);
    if (f1 > bestF + 1e-12) {
      bestF = f1;
      best = th;
    }
  }
  return best;
}

/**
 * Precision, recall and F1 at a threshold read per group (writer) and then combined: their mean,
 * or their lowest. A group with no positives has no recall to speak of and is left out of recall
 * (and of F1); one where nothing is said keeps precision 1, as prf does.
 */
export function writerPrf(ps: readonly number[], ys: readonly number[], groups: readonly string[], how: 'writerMean' | 'writerMin'): (th: number) => { precision: number; recall: number; f1: number } {
  const names = [...new Set(groups)].sort();
  const idx = names.map((g) => groups.flatMap((x, i) => (x === g ? [i] : [])));
  const withPos = idx.filter((ii) => ii.some((i) => ys[i]));
  const pick = (xs: number[]) => (how === 'writerMin' ? Math.min(...xs) : xs.reduce((a, b) => a + b, 0) / xs.length);
  return (th) => {
    const of = (ii: number[]) => prf(ii.map((i) => ps[i]!), ii.map((i) => ys[i]!), th);
    const recallBy = withPos.map(of);
    return { precision: pick(idx.map((ii) => of(ii).precision)), recall: recallBy.length ? pick(recallBy.map((m) => m.recall)) : 1, f1: recallBy.length ? pick(recallBy.map((m) => m.f1)) : 1 };
  };
}

/** Stratified, seeded fold of every row: rows sorted by (label pattern, seeded key), dealt round-robin. */
export function stratifiedFolds(ys: readonly number[][], k: number, seed = 18): number[] {
  const rand = rng(seed);
  const keys = ys.map((y, i) => ({ i, s: y.join(''), r: rand() }));
  keys.sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.r - b.r));
  const fold = new Array<number>(ys.length).fill(0);
  keys.forEach((x, j) => (fold[x.i] = j % k));
  return fold;
}

export interface Calibration {
  platt: { a: number; b: number }[];
  threshold: number[];
  /** Out-of-fold calibrated probabilities on the training rows. */
  oof: number[][];
}

/** Inner cross-validation on the training rows: Platt per label and thresholds on out-of-fold scores. */
/** The inner folds of `calibrate`: each row's fold and how many there are (see LearnOptions.calibrateBy). */
export function calibrationFolds(xs: readonly Example[], o: Pick<LearnOptions, 'calibrateBy' | 'folds'>): { fold: number[]; folds: number } {
  const groups = [...new Set(xs.map((x) => x.group ?? ''))].sort();
  if (o.calibrateBy === 'writer' && groups.length > 1 && !groups.includes('')) return { fold: xs.map((x) => groups.indexOf(x.group!)), folds: groups.length };
  return { fold: stratifiedFolds(xs.map((x) => x.y), o.folds), folds: o.folds };
}

export function calibrate(xs: readonly Example[], o: LearnOptions): Calibration {
  const { fold, folds } = calibrationFolds(xs, o);
  const scores = xs.map(() => new Array<number>(L).fill(0));
  for (let k = 0; k < folds; k++) {
    const t = train(xs.filter((_, i) => fold[i] !== k), o);
    xs.forEach((x, i) => {
      if (fold[i] === k) scores[i] = raw(t, x.f);
    });
  }
  const pl: Calibration['platt'] = [];
  const th: number[] = [];
  const oof = xs.map(() => new Array<number>(L).fill(0));
  const groups = xs.map((x) => x.group ?? '');
  const by = o.thresholdBy !== 'pooled' && new Set(groups).size > 1 && !groups.includes('') ? { groups, how: o.thresholdBy } : undefined;
  MODEL_LABELS.forEach((l, k) => {
    const s = scores.map((z) => z[k]!);
    const ys = xs.map((x) => x.y[k]!);
    const p = platt(s, ys);
    const ps = s.map((z) => 1 / (1 + Math.exp(-(p.a * z + p.b))));
    ps.forEach((v, i) => (oof[i]![k] = v));
    pl.push(p);
    // The gate only confirms a rule's pick (classify.ts): choose its threshold on what it decides.
    const decided = l === 'method' ? ps.map((v, i) => (xs[i]!.ruleMethod ? v : 0)) : ps;
    th.push(l === 'method' && !o.methodGate ? 0 : chooseThreshold(decided, ys, o.targetPrecision[l], o.minRecall[l], by));
  });
  return { platt: pl, threshold: th, oof };
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** The shipped JSON's budget (the background bundle's limit for the weights). */
export const MAX_BYTES = 300_000;

/** The bytes of the file train.ts writes (JSON and its final newline). */
export const fileBytes = (m: StoredWeights): number => Buffer.byteLength(JSON.stringify(m)) + 1;

/**
 * The weights to ship, in the compact v3 format (lib/understand/model/weights-format.ts): features
 * whose largest weight is under `prune` dropped, and if the file would still be over `budget`
 * bytes, the features with the largest weights kept — the most that fit, found by bisection on
 * the exact encoded size (ties by name, so the same weights always keep the same features).
 * Cross-validation scores this same encoded model, so the cost of the bound and of the weights'
 * quantization is in its figures. History: until 2026-12-07 `prune` was raised ×1.5 until the JSON
 * fitted, which overshot (6,741 of 12,889 features kept where about 9,700 fitted) and cost the
 * writers' leave-one-file-out buying recall up to 0.2; the v2 format (feature strings as keys,
 * integer arrays, ~30 bytes a feature) then kept at most ~9,700 features, v3 takes ~10 bytes a feature.
 */
export function packWithin(w: ReadonlyMap<string, readonly number[]>, prune: number, budget: number, head: Omit<EncodeInput, 'weights'>): StoredWeights {
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const candidates: { f: string; v: readonly number[]; top: number }[] = [];
  for (const [f, v] of w) {
    const top = Math.max(...v.map(Math.abs));
    if (top >= prune) candidates.push({ f, v, top });
  }
  candidates.sort((a, b) => b.top - a.top || byName(a.f, b.f));
  const encode = (n: number) => encodeWeights({ ...head, weights: new Map(candidates.slice(0, n).map((c) => [c.f, c.v])) });
  const all = encode(candidates.length);
  if (fileBytes(all) <= budget) return all;
  // The size grows with n (a feature inserted into a front-coded run costs at least its two
  // framing bytes more than it saves its neighbour); bisect for the largest n that fits.
  let lo = 0;
  let hi = candidates.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fileBytes(encode(mid)) <= budget) lo = mid;
    else hi = mid;
  }
  const out = encode(lo);
  if (fileBytes(out) > budget) throw new Error(`weights: even ${lo} features take ${fileBytes(out)} bytes, over ${budget}`);
  return out;
}

/** The whole recipe: calibrate on inner folds, train on all rows, prune and package. */
export function fit(xs: readonly Example[], o: LearnOptions, trainedOn: string): { model: StoredWeights; calibration: Calibration } {
  const calibration = calibrate(xs, o);
  const final = train(xs, o);
  const labels = MODEL_LABELS.map((name, k) => ({
    name,
    bias: round(final.bias[k]!),
    platt: { a: round(calibration.platt[k]!.a), b: round(calibration.platt[k]!.b) },
    threshold: round(calibration.threshold[k]!),
  }));
  // 1 kB under the bound: room for a longer trainedOn line without retuning.
  const model = packWithin(final.w, o.prune, MAX_BYTES - 1000, { trainedOn, features: o.features, noiseNeedsRules: o.noiseNeedsRules, labels });
  return { model, calibration };
}
