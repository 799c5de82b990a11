// Pipedrive (persons, notes, deals, activities) through a personal API token: declared data only
// (UI-safe). Facts, checked 2026-12-06: API v1/v2 reference and OpenAPI files (shared/specs
// pipedrive.v1.yaml, pipedrive.v2.yaml; SOURCES.md); pipedrive.readme.io "Authentication" (the
// token goes in the x-api-token header on every request), "How to find the API token", "Rate
// limiting" (token-based daily budget per company: 30,000 base tokens × plan multiplier × seats,
// reset daily; per-token burst in 2-second windows, 20 requests at the lowest plan; search 10
// per 2 s; x-ratelimit-limit / -remaining / -reset on every reply, 429 when over);
// shared/reference/crm-apis.md § Pipedrive. Operations live beside this file (background only).
import { defineCrmSpec } from '../spec';

export const PIPEDRIVE_API = 'https://api.pipedrive.com';

/** Custom fields Liaison creates (prepare): the idempotency key on persons and deals, and 客户编号. */
export const LIAISON_KEY_FIELD = 'Liaison key';
export const LIAISON_CODE_FIELD = 'Liaison 客户编号';

export const pipedriveSpec = defineCrmSpec({
  id: 'pipedrive',
  names: { zh_CN: 'Pipedrive', en: 'Pipedrive' },
  docsUrl: 'https://pipedrive.readme.io/docs/how-to-find-the-api-token',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'token',
        label: { zh_CN: '个人 API 令牌', en: 'Personal API token' },
        help: {
          zh_CN:
            '1. 登录 Pipedrive 网页版；2. 点右上角的头像或账户名 →「个人偏好设置」(Personal preferences) →「API」，或直接打开 app.pipedrive.com/settings/api；3. 在「你的个人 API 令牌」处点「复制」（若为空，先点「生成」）；4. 粘贴到这里。看不到「API」一项时，请公司管理员在「公司设置 → 用户」中为你开启 API 访问。令牌属于你本人和这家公司，能看到你在 Pipedrive 里能看到的一切；同一时间只有一个有效令牌，重新生成后旧令牌立即失效（需在这里重新粘贴）。令牌只保存在本机扩展的后台，不会发送给网页或我们的服务器。使用 API 令牌不需要公司域名。',
          en:
            '1. Sign in to Pipedrive on the web; 2. click your picture or account name (top right) → Personal preferences → API, or open app.pipedrive.com/settings/api; 3. under "Your personal API token" click Copy (if it is empty, click Generate first); 4. paste it here. If there is no "API" item, ask a company admin to enable API access for you in Company settings → Users. The token belongs to you in this company and sees everything you can see; only one is active at a time, and regenerating it stops the old one at once (paste the new one here). The token stays in the extension background on this computer and is never sent to web pages or to us. No company domain is needed with an API token.',
        },
        secret: true,
        type: 'password',
        required: true,
        placeholder: '40 位十六进制 / 40 hex characters',
      },
    ],
  },
  // The API token works on api.pipedrive.com (the OpenAPI files' server); nothing else is asked.
  hostPermissions: ['https://api.pipedrive.com/*'],
  capabilities: {
    // Read back: GET /api/v2/persons/{id} (update_time is the marker), notes of the person
    // (v1, start/limit paging), deals of the person (v2), changes by GET /api/v2/persons with
    // updated_since + sort_by=update_time (cursor paging). No conditional update: PATCH
    // /api/v2/persons/{id} takes no version or If-Match.
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', conditionalUpdate: false },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'native', // a note on the person (POST /v1/notes)
    deals: 'native', // POST /api/v2/deals with person_id
    tasks: 'native', // an activity of type task (POST /api/v2/activities)
  },
  // Pipedrive has no upsert or idempotency key: persons and deals carry the Liaison key in a
  // custom field (prepare creates it) and a create first looks it up (persons/search,
  // deals/search, exact match on custom fields), so a retried create after a lost reply finds
  // the first one. Notes and tasks are looked up by their person, time and text.
  idempotency: 'lookup',
  // Lowest plan: 20 requests per 2 s per API token; 6/s with a bucket of 3 keeps any 2-second
  // window of sending ≤ 15. Search has its own 10 per 2 s (client.ts search lane, 3/s: ≤ 7). The daily budget is
  // in tokens (30,000 × plan multiplier × seats; a request costs its endpoint's x-token-cost),
  // the smallest company's figure here.
  // The margin is for arrival: Pipedrive counts requests as they arrive, and requests sent apart
  // can arrive together. At 8/s (exactly 20 per 2 s on sending) 21 arrived in one window on a
  // loaded machine (the burst test, 2026-12-06); at 7/s with a bucket of 4 (≤ 18) 21 still did,
  // at load 12 (npm test in a fresh clone, 2026-12-07). A 5-request margin is 0.8 s of skew.
  rateLimit: { requestsPerSecond: 6, burst: 3, dailyQuota: 30_000 },
  defaultMapping: {
    customer: { name: 'name', phones: 'phones', email: 'emails' },
    followUp: { content: 'content', at: 'add_time' },
    deal: { product: 'title', amount: 'value', status: 'status', closedAt: 'close_time' },
  },
  setup: {
    label: { zh_CN: '创建 Liaison 自定义字段', en: 'Create the Liaison custom fields' },
    help: {
      zh_CN: '在 Pipedrive 的联系人（Person）中创建「Liaison key」（防止重试时重复创建）和「Liaison 客户编号」，在交易（Deal）中创建「Liaison key」；已存在则沿用。需要能管理自定义字段的权限（管理员或有相应权限的用户）。',
      en: 'Creates the person fields "Liaison key" (so a retried create never duplicates) and "Liaison 客户编号" (customer code), and "Liaison key" on deals; existing ones are reused. Needs permission to manage custom fields (an admin, or a user allowed to).',
    },
  },
});
