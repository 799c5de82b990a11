// The trainer's pieces (issue 18): which files count as development data, deterministic folds and
// training, thresholds for a target precision, and the cue families the model's features add.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEARN, calibrationFolds, chooseThreshold, devFiles, fileBytes, packWithin, readDev, readUnseen, rulesOnlyFiles, stratifiedFolds, train, writerPrf } from '../../../scripts/understand/learn';
import { MODEL_LABELS, decodeWeights } from '../../../lib/understand/model/weights-format';
import { cueFeatures } from '../../../lib/understand/model/cues';
import { normalize } from '../../../lib/understand/normalize';

const row = (id: string, text: string, buying = false) =>
  JSON.stringify({ id, text, lang: 'zh', domain: 'retail', labels: { buying, complaint: false, noise: !buying, methods: [] }, hard: false });

describe('development files', () => {
  it('reads dev.jsonl and every dev*.jsonl, never test*, and drops lines repeated across files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-dev-'));
    writeFileSync(join(dir, 'dev.jsonl'), [row('a1', '多少钱', true), row('a2', '好的')].join('\n'));
    writeFileSync(join(dir, 'dev-zh2.jsonl'), [row('b1', '多少钱', true), row('b2', '有现货吗', true)].join('\n'));
    writeFileSync(join(dir, 'dev-en2.jsonl'), '');
    writeFileSync(join(dir, 'test.jsonl'), row('t1', 'frozen'));
    writeFileSync(join(dir, 'devnotes.txt'), 'not data');
    writeFileSync(join(dir, 'rules-dev-w5.jsonl'), row('r1', '打我电话'));
    expect(devFiles(`${dir}/`)).toEqual(['dev.jsonl', 'dev-en2.jsonl', 'dev-zh2.jsonl']);
    const log: string[] = [];
    const rows = readDev(`${dir}/`, (s) => log.push(s));
    expect(rows.map((r) => `${r.file}:${r.id}`)).toEqual(['dev.jsonl:a1', 'dev.jsonl:a2', 'dev-zh2.jsonl:b2']);
    expect(log.join('\n')).toContain('dev-en2.jsonl: empty, skipped');
    expect(log.join('\n')).toContain('dev-zh2.jsonl: 1 messages (1 duplicates of earlier lines dropped)');
  });

  it('scores the rules-only files as unseen writers, without any line the model trained on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-dev-'));
    writeFileSync(join(dir, 'dev.jsonl'), [row('a1', '多少钱', true), row('a2', '好的')].join('\n'));
    writeFileSync(join(dir, 'rules-dev-w6.jsonl'), [row('s1', '在吗'), row('a2', '另一句'), row('s2', '在吗')].join('\n'));
    writeFileSync(join(dir, 'rules-dev-w5.jsonl'), [row('r1', '打我电话'), row('r2', ' 多少钱', true)].join('\n'));
    writeFileSync(join(dir, 'test.jsonl'), row('t1', 'frozen'));
    expect(rulesOnlyFiles(`${dir}/`)).toEqual(['rules-dev-w5.jsonl', 'rules-dev-w6.jsonl']);
    const log: string[] = [];
    const seen = readDev(`${dir}/`, () => {});
    const rows = readUnseen(rulesOnlyFiles(`${dir}/`), seen, `${dir}/`, (s) => log.push(s));
    // r2 repeats a trained text, a2 a trained id, s2 a line of the scored files themselves.
    expect(rows.map((r) => `${r.file}:${r.id}`)).toEqual(['rules-dev-w5.jsonl:r1', 'rules-dev-w6.jsonl:s1']);
    expect(log).toEqual(['  rules-dev-w5.jsonl (scored only): 1 messages (1 already among the training lines, dropped)', '  rules-dev-w6.jsonl (scored only): 1 messages (2 already among the training lines, dropped)']);
  });

  it('says so when there is no development data at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-dev-'));
    expect(() => readDev(`${dir}/`, () => {})).toThrow(/no development messages/);
  });
});

describe('training pieces', () => {
  it('folds are stratified by label pattern and the same every run', () => {
    const ys = Array.from({ length: 50 }, (_, i) => [i % 5 === 0 ? 1 : 0, 0, 0, 0]);
    const a = stratifiedFolds(ys, 5);
    expect(stratifiedFolds(ys, 5)).toEqual(a);
    for (let k = 0; k < 5; k++) expect(ys.filter((y, i) => a[i] === k && y[0] === 1)).toHaveLength(2);
  });

  it('the same examples give the same weights', () => {
    const xs = [
      { f: ['c:价', 'r:len:s'], y: [1, 0, 0, 0], ruleMethod: false },
      { f: ['c:好', 'r:len:xs'], y: [0, 0, 1, 0], ruleMethod: false },
      { f: ['c:价', 'c:好', 'r:len:s'], y: [1, 0, 0, 0], ruleMethod: false },
    ];
    const o = { ...DEFAULT_LEARN, minCount: 1, epochs: 5 };
    const a = train(xs, o);
    const b = train(xs, o);
    expect([...a.w]).toEqual([...b.w]);
    expect(a.w.get('c:价')![0]).toBeGreaterThan(0);
    expect(a.w.get('c:价')![2]).toBeLessThan(0);
  });

  it('the threshold is the lowest reaching the target precision with enough recall, else the best F1', () => {
    const ps = [0.905, 0.805, 0.705, 0.605, 0.505, 0.405];
    const ys = [1, 1, 1, 0, 1, 0];
    expect(chooseThreshold(ps, ys, 0.95, 0.7)).toBeCloseTo(0.61, 5); // 3/3 precision, 3/4 recall
    expect(chooseThreshold(ps, ys, 0.95, 0.9)).toBeCloseTo(0.41, 5); // unreachable: best F1 (4/5 P, 4/4 R)
  });

  it("by writer: each writer's precision and recall, then their mean or their lowest", () => {
    // Writer a: perfect above 0.3; writer b: one false positive at 0.85, the rest right.
    const ps = [0.9, 0.8, 0.2, 0.85, 0.7, 0.6, 0.1];
    const ys = [1, 1, 0, 0, 1, 1, 0];
    const gs = ['a', 'a', 'a', 'b', 'b', 'b', 'b'];
    const mean = writerPrf(ps, ys, gs, 'writerMean');
    const min = writerPrf(ps, ys, gs, 'writerMin');
    expect(mean(0.5).precision).toBeCloseTo((1 + 2 / 3) / 2, 6);
    expect(min(0.5).precision).toBeCloseTo(2 / 3, 6);
    expect(mean(0.75).recall).toBeCloseTo((1 + 0) / 2, 6);
    expect(min(0.65).recall).toBeCloseTo(0.5, 6);
    // Pooled, 4/5 precision from 0.21 reaches 0.8; the writers' mean (0.833) reaches it too; their
    // lowest stays 0.667 until writer b's recall is gone, so the best lowest F1 decides.
    expect(chooseThreshold(ps, ys, 0.8, 0.9)).toBeCloseTo(0.21, 5);
    expect(chooseThreshold(ps, ys, 0.8, 0.9, { groups: gs, how: 'writerMean' })).toBeCloseTo(0.21, 5);
    expect(chooseThreshold(ps, ys, 0.8, 0.9, { groups: gs, how: 'writerMin' })).toBeCloseTo(0.11, 5); // best lowest F1 (0.8 for both)
  });

  it('a writer with no positives counts for precision only', () => {
    const m = writerPrf([0.9, 0.8, 0.9], [1, 0, 0], ['a', 'b', 'b'], 'writerMean')(0.5);
    expect(m.precision).toBeCloseTo((1 + 0) / 2, 6);
    expect(m.recall).toBe(1);
  });
});

describe('cue families', () => {
  const q = (t: string) => cueFeatures(normalize(t));
  it('name the guide\'s patterns in either language', () => {
    expect(q('说好三天放款，今天都第六天了')).toContain('q:promise');
    expect(q('it keeps crashing when I export')).toContain('q:fault');
    expect(q('need 40 units by the 15th')).toContain('q:quantity');
    expect(q('怎么又扣了我299')).toContain('q:charge');
    expect(q('第三次问了，我的退款呢')).toContain('q:again');
    expect(q('我朋友可能想贷款')).toContain('q:relayed');
    expect(q('好的收到 👍')).toContain('q:ack');
  });
  it('a plain greeting carries no complaint family', () => {
    const f = q('你好');
    for (const c of ['q:fault', 'q:promise', 'q:charge', 'q:wrong']) expect(f).not.toContain(c);
  });
});

describe('calibration folds', () => {
  const ex = (group: string | undefined, buying: number) => ({ f: ['x'], y: [buying, 0, 0, 0], ruleMethod: false, ...(group ? { group } : {}) });
  it("by writer: one fold per development file, so no row's out-of-fold score saw its writer", () => {
    const xs = [ex('dev-b.jsonl', 1), ex('dev-a.jsonl', 0), ex('dev-b.jsonl', 0), ex('dev-c.jsonl', 1)];
    expect(calibrationFolds(xs, { calibrateBy: 'writer', folds: 5 })).toEqual({ fold: [1, 0, 1, 2], folds: 3 });
  });
  it('by rows, or by writer with one file or rows of unknown file: the stratified folds', () => {
    const one = [ex('dev.jsonl', 1), ex('dev.jsonl', 0), ex('dev.jsonl', 1)];
    const unknown = [ex('dev-a.jsonl', 1), ex(undefined, 0), ex('dev-b.jsonl', 1)];
    for (const xs of [one, unknown]) {
      expect(calibrationFolds(xs, { calibrateBy: 'writer', folds: 2 })).toEqual({ fold: stratifiedFolds(xs.map((x) => x.y), 2), folds: 2 });
    }
    expect(calibrationFolds(one, { calibrateBy: 'rows', folds: 2 }).folds).toBe(2);
  });
});

describe('the size bound', () => {
  // Features a…f with largest weights 0.9, 0.8, … 0.4 (and other labels' smaller weights); "z" is under prune.
  const w = new Map<string, number[]>([
    ['d', [0.6, -0.1, 0, 0]],
    ['a', [-0.9, 0.2, 0.1, 0]],
    ['f', [0.1, 0.4, 0, 0.05]],
    ['c', [0.7, 0, 0, 0]],
    ['z', [0.001, -0.001, 0, 0]],
    ['b', [0.2, 0.8, -0.3, 0]],
    ['e', [-0.5, 0.5, 0, 0]],
  ]);
  const head = { trainedOn: 't', features: DEFAULT_LEARN.features, noiseNeedsRules: true, labels: MODEL_LABELS.map((name) => ({ name, bias: 0, platt: { a: 1, b: 0 }, threshold: 0.5 })) };
  const names = (budget: number, m: ReadonlyMap<string, number[]> = w) => [...decodeWeights(JSON.parse(JSON.stringify(packWithin(m, 0.002, budget, head)))).index.keys()];

  it('drops what is under prune and, within budget, keeps everything else in name order', () => {
    expect(names(1e6)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('over budget, keeps the most features that fit, largest weights first, measured on the encoded file', () => {
    const sizeOf = (fs: string[]) => fileBytes(packWithin(new Map(fs.map((f) => [f, w.get(f)!])), 0, 1e6, head));
    const four = sizeOf(['a', 'b', 'c', 'd']);
    expect(sizeOf(['a', 'b', 'c', 'd', 'e'])).toBeGreaterThan(four);
    expect(names(four)).toEqual(['a', 'b', 'c', 'd']);
    expect(names(four - 1)).toEqual(['a', 'b', 'c']);
    expect(fileBytes(packWithin(w, 0.002, four, head))).toBeLessThanOrEqual(four);
  });

  it('breaks ties by name, so the same weights always keep the same features', () => {
    const tie = new Map<string, number[]>([
      ['y', [0.5, 0, 0, 0]],
      ['x', [-0.5, 0, 0, 0]],
    ]);
    const one = fileBytes(packWithin(new Map([['x', [-0.5, 0, 0, 0]]]), 0, 1e6, head));
    expect(names(one, tie)).toEqual(['x']);
    expect(names(one, new Map([...tie].reverse()))).toEqual(['x']);
  });
});
