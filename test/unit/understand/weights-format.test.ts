// The compact weights format v3 (issue 18): feature strings survive front coding, the stored model
// scores within the quantization's bound of the float one, and a doctored, truncated or old file
// is refused with a clear error, never loaded as a silently different model.
import { describe, expect, it } from 'vitest';
import { UnderstandModel } from '../../../lib/understand/model/classify';
import { DEFAULT_FEATURES } from '../../../lib/understand/model/features';
import { MODEL_LABELS, QMAX, type StoredWeights, WeightsError, checksumOf, decodeWeights, encodeWeights, frontCode, frontDecode } from '../../../lib/understand/model/weights-format';
import { rng } from '../../../scripts/understand/evaluate';

const labels = MODEL_LABELS.map((name, k) => ({ name, bias: -0.5 + k * 0.25, platt: { a: 1.2, b: -0.3 }, threshold: 0.5 }));

/** Float weights for n made-up features, seeded; weights spread over ±3 like trained ones. */
function floats(n: number, seed = 7): Map<string, number[]> {
  const r = rng(seed);
  const w = new Map<string, number[]>();
  for (let i = 0; i < n; i++) w.set(`c:${String.fromCharCode(0x4e00 + Math.floor(r() * 300))}${i % 3 ? String.fromCharCode(0x4e00 + Math.floor(r() * 300)) : ''}${i}`, MODEL_LABELS.map(() => (r() - 0.5) * 6 * r()));
  return w;
}

const encode = (weights: Map<string, number[]>) => encodeWeights({ trainedOn: 'test', features: DEFAULT_FEATURES, noiseNeedsRules: true, labels, weights });
/** As read from disk: through JSON, as the loader sees it. */
const reread = (s: StoredWeights): unknown => JSON.parse(JSON.stringify(s));

describe('front coding', () => {
  it('gives back exactly the sorted strings, CJK, emoji and shared prefixes included', () => {
    const fs = ['c:^好', 'c:好', 'c:好的', 'c:好的$', 'c:😀', 'c:😁', 'r:len:s', 't:b:报价', 'w:call me', 'w:call me back', `w:${'x'.repeat(120)}`, `w:${'x'.repeat(121)}`].sort();
    expect(frontDecode(frontCode(fs))).toEqual(fs);
    expect(frontDecode('')).toEqual([]);
    // The two emoji share their high surrogate; it is not split off into a lone half.
    expect(JSON.stringify(frontCode(['c:😀', 'c:😁']))).not.toMatch(/\\ud/u);
  });

  it('refuses entries out of order or with an impossible prefix', () => {
    expect(() => frontDecode(frontCode(['b', 'a']))).toThrow(/not after the entry before/);
    expect(() => frontDecode('0abc\n9x')).toThrow(/bad shared-prefix length/);
    expect(() => frontCode(['a\nb'])).toThrow(/newline/);
  });
});

describe('weights v3', () => {
  it('scores within the quantization bound of the float weights', () => {
    const w = floats(3000);
    const stored = encode(w);
    const m = new UnderstandModel(decodeWeights(reread(stored)));
    const names = [...w.keys()];
    const r = rng(11);
    let worst = 0;
    for (let t = 0; t < 200; t++) {
      const fs = Array.from({ length: 5 + Math.floor(r() * 120) }, () => names[Math.floor(r() * names.length)]!);
      const active = [...new Set(fs)];
      const got = m.raw(active);
      stored.labels.forEach((l, k) => {
        const want = l.bias + active.reduce((s, f) => s + w.get(f)![k]!, 0);
        const bound = (active.length * l.scale) / 2;
        const err = Math.abs(got[k]! - want);
        expect(err).toBeLessThanOrEqual(bound + 1e-9);
        worst = Math.max(worst, err / bound);
      });
    }
    // The bound is reached in the worst case only; a real sum of roundings sits well inside it.
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(0.5);
  });

  it('each weight is within half a step, the largest stored exactly at ±127 steps', () => {
    const w = floats(500);
    const d = decodeWeights(reread(encode(w)));
    const L = d.labels.length;
    for (const [f, v] of w) {
      const i = d.index.get(f);
      if (i === undefined) {
        // left out only when every weight rounds to 0
        v.forEach((x, k) => expect(Math.abs(x)).toBeLessThan(d.labels[k]!.scale / 2 + 1e-12));
        continue;
      }
      v.forEach((x, k) => expect(Math.abs(d.w[i * L + k]! - x)).toBeLessThanOrEqual(d.labels[k]!.scale / 2 + 1e-12));
    }
    d.labels.forEach((l, k) => {
      const top = Math.max(...[...w.values()].map((v) => Math.abs(v[k]!)));
      expect(l.scale * QMAX).toBeCloseTo(top, 12);
    });
  });

  it('encoding is deterministic and independent of the map order', () => {
    const w = floats(400);
    const a = JSON.stringify(encode(w));
    expect(JSON.stringify(encode(new Map([...w].reverse())))).toBe(a);
  });
});

describe('a doctored, truncated or old file is refused', () => {
  const good = encode(floats(200));
  const bad = (patch: Partial<StoredWeights>) => ({ ...(reread(good) as object), ...patch });
  /** A file altered consistently, checksum recomputed: the structural checks must still catch it. */
  const resigned = (patch: Partial<StoredWeights>) => {
    const s = { ...good, ...patch };
    return { ...s, checksum: checksumOf(s) };
  };

  it('loads the good one', () => {
    expect(decodeWeights(reread(good)).index.size).toBe(good.count);
  });

  it('one weight changed, one feature renamed, a threshold moved: the checksum', () => {
    const flip = good.weights[10] === 'A' ? 'B' : 'A';
    for (const f of [
      bad({ weights: `${good.weights.slice(0, 10)}${flip}${good.weights.slice(11)}` }),
      bad({ vocab: good.vocab.replace('c:', 'c;') }),
      bad({ labels: good.labels.map((l, k) => (k ? l : { ...l, threshold: 0.1 })) }),
    ])
      expect(() => decodeWeights(f)).toThrow(/fail their checksum/);
  });

  it('weights or vocab cut short, even with a matching checksum', () => {
    expect(() => decodeWeights(resigned({ weights: good.weights.slice(0, 40) }))).toThrow(/weight bytes for 200 features/);
    expect(() => decodeWeights(resigned({ vocab: good.vocab.split('\n').slice(0, 150).join('\n') }))).toThrow(/150 features in vocab, 200 declared/);
    expect(() => decodeWeights(bad({ weights: `${good.weights}x` }))).toThrow(WeightsError);
  });

  it('fields missing or of the wrong type, a label missing, or a v2 file', () => {
    const { weights: _w, ...noWeights } = reread(good) as StoredWeights;
    expect(() => decodeWeights(noWeights)).toThrow(/not a valid v3 file: weights/);
    expect(() => decodeWeights(resigned({ labels: good.labels.slice(0, 3) }))).toThrow(/label method missing/);
    expect(() => decodeWeights({ version: 2, trainedOn: 'x', scale: 1000, weights: { 'c:好': [1, 2, 3, 4] } })).toThrow(/not a valid v3 file: version/);
    expect(() => decodeWeights(null)).toThrow(WeightsError);
  });
});
