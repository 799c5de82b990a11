// A strict emulator of an OpenAI-compatible chat-completions endpoint (node:http on 127.0.0.1,
// port 0), for the LLM client's tests: POST /v1/chat/completions only, Bearer key required,
// model and messages validated as the real APIs do. Faults: latency (to trigger timeouts) and
// HTTP 500 for the next N requests. It records what it received so tests can assert what was sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LlmEmulatorOptions {
  apiKey?: string;
  models?: string[];
  /** The assistant's reply for a request. */
  reply?(messages: { role: string; content: string }[]): string;
}

export interface LlmEmulator {
  url: string;
  /** Base URL clients configure (…/v1). */
  baseUrl: string;
  received: { model: string; messages: { role: string; content: string }[] }[];
  setLatency(ms: number): void;
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const ROLES = new Set(['system', 'user', 'assistant']);

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
const error = (message: string, type: string) => ({ error: { message, type } });

export async function startLlmEmulator(opts: LlmEmulatorOptions = {}): Promise<LlmEmulator> {
  const key = opts.apiKey ?? 'sk-test';
  const models = opts.models ?? ['deepseek-chat'];
  let latency = 0;
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  const received: LlmEmulator['received'] = [];
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (latency) await new Promise((r) => setTimeout(r, latency));
    if (res.destroyed) return;
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return send(res, 404, error('not found', 'invalid_request_error'));
    if (failures.count > 0) {
      failures.count--;
      return send(res, failures.status, error('internal error', 'server_error'));
    }
    if (req.headers.authorization !== `Bearer ${key}`) return send(res, 401, error('Authentication Fails, Your api key is invalid', 'authentication_error'));
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 400, error('content-type must be application/json', 'invalid_request_error'));
    let body: { model?: unknown; messages?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return send(res, 400, error('invalid JSON body', 'invalid_request_error'));
    }
    if (typeof body.model !== 'string' || !models.includes(body.model)) return send(res, 400, error('Model Not Exist', 'invalid_request_error'));
    const msgs = body.messages;
    if (
      !Array.isArray(msgs) ||
      msgs.length === 0 ||
      !msgs.every((m) => m && typeof m === 'object' && ROLES.has((m as { role?: string }).role ?? '') && typeof (m as { content?: unknown }).content === 'string')
    ) {
      return send(res, 422, error('messages must be a non-empty array of {role, content}', 'invalid_request_error'));
    }
    const messages = msgs as { role: string; content: string }[];
    received.push({ model: body.model, messages });
    const content = opts.reply?.(messages) ?? '客户咨询经营贷50万利率，明天下午回电。';
    send(res, 200, {
      id: `chatcmpl-${received.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  }

  const server = createServer((req, res) => void handle(req, res).catch(() => send(res, 500, error('emulator error', 'server_error'))));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    received,
    setLatency: (ms) => void (latency = ms),
    failNext: (count, status = 500) => void (failures = { count, status }),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
