import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chatComplete, LlmError } from '../../../lib/llm/client';
import { llmAllowed, summarizeWithLlm, testLlm } from '../../../lib/llm/summarize';
import type { LlmConfig } from '../../../lib/suggest/config';
import type { ChatMessage } from '../../../lib/model';
import { startLlmEmulator, type LlmEmulator } from '../../emulators/llm';

let emu: LlmEmulator;
beforeAll(async () => {
  emu = await startLlmEmulator({ apiKey: 'sk-good', models: ['deepseek-chat'] });
});
afterAll(() => emu.close());

const cfg = (over: Partial<LlmConfig> = {}): LlmConfig => ({ enabled: true, baseUrl: emu.baseUrl, model: 'deepseek-chat', sendCustomerData: true, timeoutMs: 2000, ...over });
const msgs: ChatMessage[] = [
  { id: 'm1', direction: 'in', text: '你好，想了解一下经营贷，50万的话利率多少？' },
  { id: 'm2', direction: 'out', text: '明天下午3点给您打电话详细说' },
];
const EXTRACTIVE = '想了解经营贷50万利率';

describe('chatComplete against the emulator', () => {
  it('sends model, messages and the Bearer key, and returns the reply', async () => {
    const before = emu.received.length;
    const reply = await chatComplete({ baseUrl: emu.baseUrl, model: 'deepseek-chat', apiKey: 'sk-good', timeoutMs: 2000 }, [{ role: 'user', content: 'hi' }]);
    expect(reply).toContain('经营贷');
    expect(emu.received.slice(before)).toEqual([{ model: 'deepseek-chat', messages: [{ role: 'user', content: 'hi' }] }]);
  });

  it.each([
    ['a wrong key', { apiKey: 'sk-bad' }, 'auth'],
    ['an unknown model', { model: 'gpt-x' }, 'http'],
  ] as const)('classifies %s', async (_label, over, kind) => {
    const err = await chatComplete({ baseUrl: emu.baseUrl, model: 'deepseek-chat', apiKey: 'sk-good', timeoutMs: 2000, ...over }, [{ role: 'user', content: 'x' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).kind).toBe(kind);
  });
});

describe('summarizeWithLlm', () => {
  it('returns the LLM summary when allowed, with the conversation in the prompt and no names', async () => {
    const before = emu.received.length;
    const r = await summarizeWithLlm(cfg(), 'sk-good', msgs, EXTRACTIVE);
    expect(r).toMatchObject({ source: 'llm' });
    expect(r.summary).toContain('经营贷');
    const sent = emu.received.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.messages.at(-1)!.content).toContain('客户：你好，想了解一下经营贷');
  });

  it.each([
    ['sendCustomerData is off', { sendCustomerData: false }, 'sk-good'],
    ['the LLM is disabled', { enabled: false }, 'sk-good'],
    ['no model is set', { model: '' }, 'sk-good'],
    ['a remote endpoint has no key', { baseUrl: 'https://api.deepseek.com/v1' }, ''],
  ] as [string, Partial<LlmConfig>, string][])('sends nothing when %s, and uses the extractive summary', async (_label, over, key) => {
    const spy = vi.fn(fetch);
    const r = await summarizeWithLlm(cfg(over), key, msgs, EXTRACTIVE, { fetch: spy });
    expect(r).toEqual({ summary: EXTRACTIVE, source: 'extractive', reason: 'not-allowed' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('times out and falls back to the extractive summary', async () => {
    emu.setLatency(1500);
    try {
      const r = await summarizeWithLlm(cfg({ timeoutMs: 1000 }), 'sk-good', msgs, EXTRACTIVE);
      // 'timeout': the configured time ran out before the endpoint's slower answer.
      expect(r).toEqual({ summary: EXTRACTIVE, source: 'extractive', reason: 'timeout' });
    } finally {
      emu.setLatency(0);
    }
  });

  it('falls back on HTTP 500', async () => {
    emu.failNext(1);
    expect(await summarizeWithLlm(cfg(), 'sk-good', msgs, EXTRACTIVE)).toEqual({ summary: EXTRACTIVE, source: 'extractive', reason: 'http' });
  });

  it('llmAllowed lets a loopback Ollama run without a key', () => {
    expect(llmAllowed(cfg({ baseUrl: 'http://localhost:11434/v1' }), '')).toBe(true);
  });

  it('the connection test sends a fixed prompt without conversation text', async () => {
    const before = emu.received.length;
    const r = await testLlm(cfg({ sendCustomerData: false }), 'sk-good');
    expect(r.reply.length).toBeGreaterThan(0);
    expect(JSON.stringify(emu.received.slice(before))).not.toContain('经营贷');
  });
});
