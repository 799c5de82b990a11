// The learned classifier (issue 18): its weights are valid data of bounded size, scoring is
// deterministic and calibrated into [0, 1], and refineWithModel hands the suggestion path the
// model's decisions while methods and dates stay the rules'.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, UnderstandModel, analyzeMessage, loadModel, refineWithModel, understand } from '../../../lib/understand';
import { MODEL_LABELS, decodeWeights } from '../../../lib/understand/model/classify';
import { encodeWeights } from '../../../lib/understand/model/weights-format';
import { DEFAULT_FEATURES } from '../../../lib/understand/model/features';
import { features } from '../../../lib/understand/model/features';
import type { ChatMessage } from '../../../lib/model';

const now = Date.UTC(2026, 11, 6, 2);
const ctx = { now, timeZone: 'Asia/Shanghai', products: [], rules: DEFAULT_RULES };
const sig = (text: string) => analyzeMessage({ id: 'x', direction: 'in', text }, ctx);

describe('understanding model', () => {
  it('ships weights of at most 300,000 bytes (the v3 format), loaded on demand and validated', async () => {
    const bytes = statSync(new URL('../../../lib/understand/model/weights.json', import.meta.url)).size;
    expect(bytes).toBeLessThanOrEqual(300_000);
    const m = await loadModel();
    expect(m.w.index.size).toBeGreaterThan(100);
    // v3's point: about 11 bytes a feature where v2's JSON keys and arrays took about 30.
    expect(bytes / m.w.index.size).toBeLessThan(15);
    expect(await loadModel()).toBe(m); // once
  });

  it('features are sorted and stable', () => {
    const f = features('需要800个，周五前', sig('需要800个，周五前'));
    expect(f).toEqual([...f].sort());
    expect(f).toContain('c:0个'); // a run of digits folds to one 0
    expect(features('需要800个，周五前', sig('需要800个，周五前'))).toEqual(f);
  });

  it('scores are probabilities and the same text scores the same', async () => {
    const m = await loadModel();
    const a = m.classify('说好三天放款，今天都第六天了', sig('说好三天放款，今天都第六天了'));
    const b = m.classify('说好三天放款，今天都第六天了', sig('说好三天放款，今天都第六天了'));
    expect(a).toEqual(b);
    for (const l of ['buying', 'complaint', 'noise'] as const) {
      expect(a[l].p).toBeGreaterThanOrEqual(0);
      expect(a[l].p).toBeLessThanOrEqual(1);
    }
  });

  it('refineWithModel: decisions come from the model, the method and time from the rules', async () => {
    const m = await loadModel();
    const msgs: ChatMessage[] = [
      { id: '1', direction: 'in', text: '好的' },
      { id: '2', direction: 'in', text: '经营贷50万利率多少？明天下午3点打我电话' },
    ];
    const u = understand(msgs, { now: Date.UTC(2026, 2, 11, 2), products: ['经营贷'] });
    const r = refineWithModel(u, msgs, m);
    expect(Object.keys(r.model).sort()).toEqual(['1', '2']);
    expect(r.buying.present).toBe(r.model['2']!.buying.decision || r.model['1']!.buying.decision);
    expect(r.noise.byId['1']).toBe(r.model['1']!.noise.decision);
    expect(r.method).toBe('电话');
    expect(r.nextFollowUp?.text).toBe(u.nextFollowUp?.text);
  });
});

describe('the method gate', () => {
  // A hand-made model whose gate turns down any message with 话费 in it and accepts the rest:
  // the mechanism, independent of what the shipped weights learned.
  const gate = (bias: number) =>
    new UnderstandModel(
      decodeWeights(
        encodeWeights({
          trainedOn: 'test',
          features: DEFAULT_FEATURES,
          noiseNeedsRules: false,
          labels: MODEL_LABELS.map((name) => ({ name, bias: name === 'method' ? bias : -5, platt: { a: 1, b: 0 }, threshold: 0.5 })),
          weights: new Map([['c:话费', [0, 0, 0, -20]]]),
        }),
      ),
    );

  it('keeps the rules\' channel when the gate agrees and drops it when it does not', () => {
    const msgs: ChatMessage[] = [{ id: '1', direction: 'in', text: '明天下午打我电话' }];
    const u = understand(msgs, { now, products: [] });
    expect(u.method).toBe('电话');
    const kept = refineWithModel(u, msgs, gate(5));
    expect(kept.method).toBe('电话');
    expect(kept.methodEvidence?.messageId).toBe('1');
    const dropped = refineWithModel(u, msgs, gate(-5));
    expect(dropped.method).toBe('微信'); // seed 003's default: the chat itself
    expect(dropped.methodEvidence).toBeUndefined();
    expect(dropped.zhibangSort).toBe(484);
    expect(dropped.model['1']!.method.decision).toBe(false);
  });

  it('a gated-out message falls back to the channel an earlier message named', () => {
    const msgs: ChatMessage[] = [
      { id: '1', direction: 'in', text: '方便的话发我邮箱吧' },
      { id: '2', direction: 'in', text: '这个月电话话费太高了' },
    ];
    const u = understand(msgs, { now, products: [] });
    expect(u.method).toBe('电话'); // the rules read the bill as a call
    const r = refineWithModel(u, msgs, gate(5));
    expect(r.model['2']!.method.decision).toBe(false);
    expect(r.method).toBe('邮件');
    expect(r.methodEvidence?.messageId).toBe('1');
  });

  it('never invents a channel the rules did not find', () => {
    const m = gate(5);
    const c = m.classify('好的谢谢', sig('好的谢谢'));
    expect(c.method.p).toBeGreaterThan(0.5);
    expect(c.method.decision).toBe(false);
  });
});

describe('time of a dated message, and the zone', () => {
  it('明天 in a message from last Tuesday resolves against that Tuesday', () => {
    const tuesday = Date.UTC(2026, 11, 1, 2); // Tue 2026-12-01 10:00 Shanghai
    const u = understand([{ id: 'a', direction: 'in', text: '明天下午3点打给我', at: tuesday }], { now, products: [] });
    expect(u.nextFollowUp?.at).toBe(Date.UTC(2026, 11, 2, 7)); // Wed 15:00 Shanghai, not Monday the 7th
  });

  it('an undated message still resolves against now', () => {
    const u = understand([{ id: 'a', direction: 'in', text: '明天下午3点打给我' }], { now, products: [] });
    expect(u.nextFollowUp?.at).toBe(Date.UTC(2026, 11, 7, 7));
  });

  it('明天上午10:30 in the browser zone is 10:30 there (a UTC browser is not offered 2:30)', () => {
    const u = understand([{ id: 'a', direction: 'in', text: '明天上午10:30开会' }], { now, products: [], timeZone: 'UTC' });
    expect(new Date(u.nextFollowUp!.at).toISOString()).toBe('2026-12-07T10:30:00.000Z');
  });
});
