// `npm run eval` smoke (issue 18): the evaluation runs on a small slice and produces the
// report's structure. No thresholds here: the figures are read in the report, not asserted.
import { describe, expect, it } from 'vitest';
import { runEval } from '../../../scripts/understand/eval';
import { LABELS, wilson } from '../../../scripts/understand/evaluate';
import { startLlmEmulator } from '../../emulators/llm';

describe('understanding evaluation (smoke)', () => {
  it('scores rules alone and rules + model on a slice of the test part, with intervals, examples and the hash check', async () => {
    const r = await runEval({ split: 'test', slice: 40, examples: 2, resamples: 50 });
    expect(r.hash).toBeDefined();
    expect(r.hash!.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(r.systems.map((s) => s.name)).toEqual(['rules alone', 'rules + model']);
    for (const s of r.systems) {
      expect(s.n).toBe(40);
      for (const l of LABELS) {
        const x = s.labels[l];
        expect(x.tp + x.fn).toBe(x.support);
        for (const m of [x.precision, x.recall, x.f1]) {
          expect(m.lo).toBeLessThanOrEqual(m.value + 1e-9);
          expect(m.hi).toBeGreaterThanOrEqual(m.value - 1e-9);
        }
      }
    }
    expect(r.text).toContain('precision [95% Wilson]');
    expect(r.text).toContain(r.hash!.ok ? 'test file hash OK' : 'WARNING');
  });

  it('Wilson interval of 0/0 is the whole range and of 9/10 sits around 0.9', () => {
    expect(wilson(0, 0)).toEqual([0, 1]);
    const [lo, hi] = wilson(9, 10);
    expect(lo).toBeCloseTo(0.596, 2);
    expect(hi).toBeCloseTo(0.982, 2);
  });

  it('--llm: the same evaluation against an OpenAI-compatible endpoint (the loopback emulator)', async () => {
    const emu = await startLlmEmulator({
      apiKey: 'sk-eval',
      reply: (msgs) => JSON.stringify({ buying: /多少|price|quote/i.test(msgs.at(-1)!.content), complaint: false, noise: false, methods: [] }),
    });
    try {
      const r = await runEval({ split: 'dev', slice: 12, examples: 1, resamples: 20, llm: { baseUrl: emu.baseUrl, model: 'deepseek-chat', apiKey: 'sk-eval', timeoutMs: 5000 } });
      expect(emu.received).toHaveLength(12);
      expect(emu.received[0]!.messages[0]!.role).toBe('system');
      expect(r.systems).toHaveLength(3);
      expect(r.llmFailures).toBe(0);
      expect(r.systems[2]!.name).toContain('deepseek-chat');
    } finally {
      await emu.close();
    }
  });
});
