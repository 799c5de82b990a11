// The follow-up summary through the user's LLM, with the extractive summary as the answer
// whenever the LLM is not configured, not allowed to see conversations, slow or failing.
// "Not allowed" is checked here, before anything is built: with sendCustomerData off no
// request is made at all (a test asserts the fetch is never called).
import type { ChatMessage } from '../model';
import type { LlmConfig } from '../suggest/config';
import { chatComplete, type ChatTurn } from './client';

export interface SummaryResult {
  summary: string;
  source: 'llm' | 'extractive';
  /** Why the LLM was not used or failed (never message text). */
  reason?: string;
}

/** Whether conversations may be sent to the configured endpoint at all. */
export function llmAllowed(cfg: LlmConfig, apiKey: string): boolean {
  return cfg.enabled && cfg.sendCustomerData && !!cfg.baseUrl && !!cfg.model && (!!apiKey || isLoopback(cfg.baseUrl));
}

/** A local Ollama needs no key. */
function isLoopback(url: string): boolean {
  try {
    const h = new URL(url).hostname;
    return h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
  } catch {
    return false;
  }
}

const MAX_CHARS = 6000;
const SUMMARY_MAX = 200;

export function summaryPrompt(messages: readonly Pick<ChatMessage, 'direction' | 'text'>[]): ChatTurn[] {
  // Newest messages win when the conversation is long; names and handles are never included.
  const lines: string[] = [];
  let size = 0;
  for (let i = messages.length - 1; i >= 0 && size < MAX_CHARS; i--) {
    const m = messages[i]!;
    const line = `${m.direction === 'in' ? '客户' : '我方'}：${m.text.replace(/\s+/g, ' ').slice(0, 1000)}`;
    lines.unshift(line);
    size += line.length;
  }
  return [
    {
      role: 'system',
      content:
        '你是销售助理。用不超过50字的中文概括这段客户聊天，写成一条跟进记录：客户需求、产品、金额、约定的下次跟进。只输出概括本身，不要称呼和客套。',
    },
    { role: 'user', content: lines.join('\n') },
  ];
}

export async function summarizeWithLlm(
  cfg: LlmConfig,
  apiKey: string,
  messages: readonly Pick<ChatMessage, 'direction' | 'text'>[],
  extractive: string,
  opts: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<SummaryResult> {
  if (!llmAllowed(cfg, apiKey)) return { summary: extractive, source: 'extractive', reason: 'not-allowed' };
  if (!messages.length) return { summary: extractive, source: 'extractive', reason: 'empty' };
  try {
    const text = await chatComplete({ baseUrl: cfg.baseUrl, model: cfg.model, apiKey, timeoutMs: cfg.timeoutMs }, summaryPrompt(messages), opts);
    const summary = [...text.replace(/\s+/g, ' ').trim()].slice(0, SUMMARY_MAX).join('');
    return summary ? { summary, source: 'llm' } : { summary: extractive, source: 'extractive', reason: 'empty-reply' };
  } catch (err) {
    return { summary: extractive, source: 'extractive', reason: (err as { kind?: string }).kind ?? 'error' };
  }
}

/** The options page's "test": a fixed prompt, nothing from any conversation. */
export async function testLlm(cfg: LlmConfig, apiKey: string, opts: { fetch?: typeof fetch; now?: () => number } = {}): Promise<{ reply: string; ms: number }> {
  const now = opts.now ?? Date.now;
  const start = now();
  const reply = await chatComplete(
    { baseUrl: cfg.baseUrl, model: cfg.model, apiKey, timeoutMs: cfg.timeoutMs },
    [{ role: 'user', content: 'Reply with the single word: OK' }],
    { ...(opts.fetch ? { fetch: opts.fetch } : {}), maxTokens: 10 },
  );
  return { reply: reply.slice(0, 100), ms: now() - start };
}
