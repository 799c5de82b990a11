// One loopback server standing in for the four group-robot services (Feishu/Lark, DingTalk,
// WeCom, Slack). Requests arrive as http://127.0.0.1:<port>/<real host>/<real path>?<query>:
// `fetch` below forwards a request for the real https URL there, so the code under test builds
// and sends the vendor's own URL and nothing leaves the machine. A request for any other host
// is refused (no network in tests).
//
// Each route file says which documentation (with the date read) it follows; none of these
// vendors publishes a machine-readable description, so the emulator is held to the prose docs.
// It verifies signatures and timestamps, enforces the documented rate rules with the vendors'
// codes, checks body shapes strictly and records what it accepted.
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dingtalkRoute } from './dingtalk';
import { feishuRoute } from './feishu';
import { slackRoute } from './slack';
import type { EmReply, EmRequest, EmRobot, EmState, Vendor, VendorContext } from './state';
import { wecomRoute } from './wecom';

export type { EmRobot, RecordedMessage, RequestLogEntry, Vendor } from './state';

const ROUTES: Record<string, { vendor: Vendor; route: (req: EmRequest, ctx: VendorContext) => { token?: string; reply: EmReply } }> = {
  'open.feishu.cn': { vendor: 'feishu', route: feishuRoute },
  'open.larksuite.com': { vendor: 'feishu', route: feishuRoute },
  'oapi.dingtalk.com': { vendor: 'dingtalk', route: dingtalkRoute },
  'qyapi.weixin.qq.com': { vendor: 'wecom', route: wecomRoute },
  'hooks.slack.com': { vendor: 'slack', route: slackRoute },
};
export const EMULATED_HOSTS: readonly string[] = Object.keys(ROUTES);
const BY_PATH: [RegExp, string][] = [
  [/^\/open-apis\/bot\/v2\/hook\//, 'open.feishu.cn'],
  [/^\/robot\/send$/, 'oapi.dingtalk.com'],
  [/^\/cgi-bin\/webhook\/send$/, 'qyapi.weixin.qq.com'],
  [/^\/services\//, 'hooks.slack.com'],
];

export interface RobotEmulatorOptions {
  now?: () => number;
}

export interface RobotEmulator {
  /** http://127.0.0.1:<port> */
  origin: string;
  state: EmState;
  /** A fetch that sends https://<emulated host>/… to the emulator and refuses every other host. */
  fetch: typeof fetch;
  control: {
    /** Adds a robot and returns the webhook URL the vendor would show for it. */
    addRobot(r: Omit<EmRobot, 'token'> & { token?: string; host?: string }): string;
    /** The robot is removed from its group (its URL stops working). */
    removeRobot(token: string): void;
    messages(token: string): Record<string, unknown>[];
  };
  close(): Promise<void>;
}

function newToken(vendor: Vendor): string {
  const hex = (n: number) => randomBytes(n).toString('hex');
  switch (vendor) {
    case 'feishu':
    case 'wecom':
      return `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`;
    case 'dingtalk':
      return hex(32);
    case 'slack':
      return `T${hex(4).toUpperCase()}/B${hex(4).toUpperCase()}/${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
  }
}

function webhookUrl(vendor: Vendor, token: string, host?: string): string {
  switch (vendor) {
    case 'feishu':
      return `https://${host ?? 'open.feishu.cn'}/open-apis/bot/v2/hook/${token}`;
    case 'dingtalk':
      return `https://oapi.dingtalk.com/robot/send?access_token=${token}`;
    case 'wecom':
      return `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${token}`;
    case 'slack':
      return `https://hooks.slack.com/services/${token}`;
  }
}

export async function startRobotEmulator(opts: RobotEmulatorOptions = {}): Promise<RobotEmulator> {
  const now = opts.now ?? Date.now;
  const state: EmState = { robots: [], messages: [], requests: [], sends: new Map(), bannedUntil: new Map() };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://emulator');
      let [, host = '', ...rest] = u.pathname.split('/');
      // Behind test/e2e/tls-proxy.ts (the browser tests) the path arrives without the host
      // prefix: the vendor is known from the path, which no two vendors share.
      if (!ROUTES[host]) {
        const byPath = BY_PATH.find(([re]) => re.test(u.pathname));
        if (byPath) [host, rest] = [byPath[1], u.pathname.split('/').slice(1)];
      }
      const entry = ROUTES[host];
      let out: { token?: string; reply: EmReply };
      if (!entry) out = { reply: { status: 502, body: `not an emulated host: ${host}` } };
      else if (req.method !== 'POST') out = { reply: { status: 405, body: 'method not allowed' } };
      else {
        const ctx: VendorContext = { state, now: now(), find: (t) => state.robots.find((r) => r.token === t) };
        out = entry.route({ host, path: `/${rest.join('/')}`, query: u.searchParams, headers: req.headers, raw: Buffer.concat(chunks) }, ctx);
      }
      const { status, body, headers } = out.reply;
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      const code = typeof body === 'string' ? body : String(body.code ?? body.errcode ?? '');
      state.requests.push({ vendor: entry?.vendor ?? 'unknown', ...(out.token ? { token: out.token } : {}), at: now(), status, code });
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...headers });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // node:http rather than the global fetch: a component test's happy-dom replaces fetch with
  // one that applies page CORS rules; the extension's background fetch (host permission) does not.
  const emuFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.protocol !== 'https:' || !ROUTES[url.hostname]) throw new TypeError(`test fetch: ${url.protocol}//${url.hostname} is not an emulated robot host (no network in tests)`);
    const body = typeof init?.body === 'string' ? init.body : init?.body == null ? '' : String(init.body);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    return new Promise<Response>((resolve, reject) => {
      const req = request(`${origin}/${url.hostname}${url.pathname}${url.search}`, { method: init?.method ?? 'GET', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          resolve(new Response(Buffer.concat(chunks).toString('utf8'), { status: res.statusCode ?? 0, headers: h }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      init?.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
      req.end(body);
    });
  };

  return {
    origin,
    state,
    fetch: emuFetch,
    control: {
      addRobot(r) {
        const token = r.token ?? newToken(r.vendor);
        state.robots.push({ vendor: r.vendor, token, ...(r.secret ? { secret: r.secret } : {}), ...(r.keywords ? { keywords: r.keywords } : {}) });
        return webhookUrl(r.vendor, token, r.host);
      },
      removeRobot(token) {
        state.robots = state.robots.filter((x) => x.token !== token);
      },
      messages: (token) => state.messages.filter((m) => m.token === token).map((m) => m.body),
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
