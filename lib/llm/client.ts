// An OpenAI-compatible chat-completions client (DeepSeek, Qwen/DashScope compatible mode, OpenAI,
// a local Ollama all speak it): POST {baseUrl}/chat/completions with a Bearer key. Background
// only. Every failure becomes an LlmError so callers fall back without knowing the vendor.
import ky, { HTTPError, TimeoutError } from 'ky';
import { z } from 'zod';
import { lazySchema } from '../model/lazy-schema';

export interface LlmEndpoint {
  /** e.g. https://api.deepseek.com/v1 — "/chat/completions" is appended. */
  baseUrl: string;
  model: string;
  apiKey: string;
  timeoutMs: number;
}

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export class LlmError extends Error {
  constructor(
    readonly kind: 'timeout' | 'auth' | 'http' | 'network' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

const replySchema = lazySchema(() => z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
}));

export function completionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

export async function chatComplete(
  ep: LlmEndpoint,
  messages: ChatTurn[],
  opts: { fetch?: typeof fetch; signal?: AbortSignal; maxTokens?: number } = {},
): Promise<string> {
  let body: unknown;
  try {
    body = await ky
      .post(completionsUrl(ep.baseUrl), {
        json: { model: ep.model, messages, temperature: 0.2, max_tokens: opts.maxTokens ?? 200, stream: false },
        headers: ep.apiKey ? { authorization: `Bearer ${ep.apiKey}` } : {},
        timeout: ep.timeoutMs,
        retry: 0, // a summary is not worth a second wait: the extractive one is right there
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
      })
      .json();
  } catch (err) {
    if (err instanceof TimeoutError) throw new LlmError('timeout', `no answer within ${ep.timeoutMs} ms`);
    if (err instanceof HTTPError) {
      const s = err.response.status;
      throw new LlmError(s === 401 || s === 403 ? 'auth' : 'http', `HTTP ${s}`);
    }
    if (err instanceof SyntaxError) throw new LlmError('invalid', 'the reply is not JSON');
    throw new LlmError('network', err instanceof Error ? err.name : 'network error');
  }
  const parsed = replySchema.safeParse(body);
  if (!parsed.success) throw new LlmError('invalid', 'the reply has no choices[0].message');
  return (parsed.data.choices[0]?.message.content ?? '').trim();
}
