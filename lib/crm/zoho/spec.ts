// Zoho CRM (Leads or Contacts, Notes, Deals, Tasks) through OAuth 2.0 with the user's own
// server-based client, in the data centre the account lives in: declared data only (UI-safe).
// Facts (read 2026-12-06): Zoho CRM API v8 OpenAPI files (shared/specs/zoho-crm/v8.0, zoho/crm-oas
// @ 45dff2cc9c69; SOURCES.md); zoho.com/crm/developer/docs/api/v8 ("OAuth 2.0": register a client
// at api-console.zoho.<dc>, authorize at accounts.zoho.<dc>/oauth/v2/auth with access_type=offline,
// token at accounts.zoho.<dc>/oauth/v2/token with client_id + client_secret; "Multi DC": the API
// lives at www.zohoapis.<dc>; "API limits": credits per 24 h by edition, concurrency per org,
// 429 TOO_MANY_REQUESTS); shared/reference/crm-apis.md § Zoho. PKCE: Zoho documents none for
// server-based clients; the shared flow sends a code_challenge all the same, which Zoho's
// authorize page ignores, and the client secret is what authenticates the exchange.
import { defineCrmSpec } from '../spec';

/** The data centres Zoho CRM runs in (accounts.zoho.<dc>, www.zohoapis.<dc>). */
export const ZOHO_DCS = ['com', 'eu', 'in', 'com.au', 'jp', 'com.cn'] as const;
export type ZohoDc = (typeof ZOHO_DCS)[number];
export const zohoApiOrigin = (dc: ZohoDc) => `https://www.zohoapis.${dc}`;

/** The custom field setup creates on each module Liaison writes: the upsert key (unique). */
export const LIAISON_KEY_LABEL = 'Liaison Key';

const dcLabel: Record<ZohoDc, [string, string]> = {
  com: ['美国 / 全球 (zoho.com)', 'United States / global (zoho.com)'],
  eu: ['欧洲 (zoho.eu)', 'Europe (zoho.eu)'],
  in: ['印度 (zoho.in)', 'India (zoho.in)'],
  'com.au': ['澳大利亚 (zoho.com.au)', 'Australia (zoho.com.au)'],
  jp: ['日本 (zoho.jp)', 'Japan (zoho.jp)'],
  'com.cn': ['中国 (zoho.com.cn)', 'China (zoho.com.cn)'],
};

export const zohoSpec = defineCrmSpec({
  id: 'zoho',
  names: { zh_CN: 'Zoho CRM', en: 'Zoho CRM' },
  docsUrl: 'https://www.zoho.com/crm/developer/docs/api/v8/oauth-overview.html',
  auth: {
    kind: 'oauth2-pkce',
    fields: [
      {
        key: 'dc',
        label: { zh_CN: '数据中心', en: 'Data centre' },
        help: {
          zh_CN: '你的 Zoho 账户所在的数据中心：看登录 Zoho CRM 后浏览器地址栏的域名（crm.zoho.com、crm.zoho.eu、crm.zoho.com.cn……）。只会为这个数据中心申请访问权限。',
          en: 'The data centre your Zoho account lives in: look at the address bar once signed in to Zoho CRM (crm.zoho.com, crm.zoho.eu, crm.zoho.com.cn…). Liaison asks for access to that data centre only.',
        },
        secret: false,
        type: 'select',
        required: true,
        options: ZOHO_DCS.map((value) => ({ value, label: { zh_CN: dcLabel[value][0], en: dcLabel[value][1] } })),
      },
      {
        key: 'clientId',
        label: { zh_CN: 'Client ID', en: 'Client ID' },
        help: {
          zh_CN:
            '使用你自己的 Zoho API 客户端：1. 打开与上面数据中心对应的 API 控制台（如 api-console.zoho.com、api-console.zoho.com.cn）；2. 点「ADD CLIENT」→ 选「Server-based Applications」；3. Client Name 随意（如 Liaison），Homepage URL 可填 https://example.com；4. Authorized Redirect URIs 填写本页显示的扩展回调地址（https://<扩展ID>.chromiumapp.org/）；5. 点「CREATE」，在「Client Secret」页复制 Client ID 和 Client Secret 填到这里。账户在多个数据中心时，在客户端的「Settings」里打开对应数据中心。',
          en:
            'Use your own Zoho API client: 1. open the API console of the data centre above (api-console.zoho.com, api-console.zoho.eu, …); 2. ADD CLIENT → Server-based Applications; 3. any Client Name (e.g. Liaison) and a Homepage URL such as https://example.com; 4. Authorized Redirect URIs: the extension redirect address shown on this page (https://<extension id>.chromiumapp.org/); 5. CREATE, then copy the Client ID and Client Secret from the Client Secret tab into this form. If your organisation uses several data centres, enable this one under the client’s Settings.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: '1000.XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      },
      {
        key: 'client_secret',
        label: { zh_CN: 'Client Secret', en: 'Client Secret' },
        help: {
          zh_CN: '同一客户端「Client Secret」页上的密钥。Zoho 的服务器端客户端换取和刷新令牌都需要它；它只保存在本机扩展的后台，只发送给 accounts.zoho.<数据中心>。',
          en: 'The secret on the same client’s Client Secret tab. Zoho’s server-based clients need it to exchange and refresh tokens; it stays in the extension background on this computer and is only sent to accounts.zoho.<data centre>.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
    ],
    oauth: {
      authorizeUrl: 'https://accounts.zoho.{{dc}}/oauth/v2/auth',
      tokenUrl: 'https://accounts.zoho.{{dc}}/oauth/v2/token',
      // Records of the four modules, field metadata (setup, listFields) and who signed in (verify).
      scopes: ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.fields.ALL', 'ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
      // Server-based clients authenticate the exchange and every refresh with their secret.
      clientSecret: 'required',
      // A refresh token is only issued with access_type=offline; prompt=consent issues a new one on reconnect.
      extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
    },
  },
  configFields: [
    {
      key: 'customerModule',
      label: { zh_CN: '客户写入为', en: 'Create customers as' },
      help: {
        zh_CN: '新客户写入「联系人 (Contacts)」（默认）或「潜在客户 (Leads)」。Zoho 的商机 (Deals) 只能关联联系人：选 Leads 时无法同步商机，请在 Zoho 中先把潜在客户转换为联系人。',
        en: 'New customers become Contacts (default) or Leads. Zoho Deals link to Contacts only: with Leads, deals are not synced (convert the lead to a contact in Zoho first).',
      },
      secret: false,
      type: 'select',
      required: false,
      options: [
        { value: 'Contacts', label: { zh_CN: '联系人 (Contacts)', en: 'Contacts' } },
        { value: 'Leads', label: { zh_CN: '潜在客户 (Leads)', en: 'Leads' } },
      ],
    },
  ],
  // Sign-in and the API of the chosen data centre only ({{dc}} from the form).
  hostPermissions: ['https://accounts.zoho.{{dc}}/*', 'https://www.zohoapis.{{dc}}/*'],
  capabilities: {
    // Read back: GET /crm/v8/{module}/{id} (Modified_Time is the marker); Notes and Deals through
    // the record's related lists; changes by GET /crm/v8/{module} with If-Modified-Since, sorted
    // by Modified_Time (page, then page_token past 2,000 records); every customer's changed notes
    // by GET /crm/v8/Notes with If-Modified-Since. PUT takes no version: no conditional update.
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', followUpChanges: true, conditionalUpdate: false },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'native', // a Note on the record (Parent_Id)
    deals: 'native', // a Deal with Contact_Name (Contacts mode only)
    tasks: 'native', // a Task (Who_Id for a contact, What_Id + $se_module for a lead)
  },
  // Customers, deals and tasks: POST /{module}/upsert with duplicate_check_fields on the unique
  // "Liaison Key" field setup creates. Notes take no custom fields: a note carries a
  // [Liaison <key>] line and a create first looks it up among the record's notes.
  idempotency: 'upsert',
  // Zoho limits credits per 24 h (5,000 on the free edition) and concurrent calls per org (5 on
  // free, 10–25 on paid editions); no per-second rate is documented. 4/s, 2 writes at a time.
  rateLimit: { requestsPerSecond: 4, burst: 4, concurrentWrites: 2, dailyQuota: 5000 },
  defaultMapping: {
    // Company: Leads' text field Company (values.ts); a Contact's Account_Name is a lookup, not written.
    customer: { name: 'Last_Name', phones: 'Mobile', email: 'Email', notes: 'Description' },
    followUp: { content: 'Note_Content', at: 'Created_Time' },
    deal: { product: 'Deal_Name', amount: 'Amount', status: 'Stage', closedAt: 'Closing_Date' },
  },
  setup: {
    label: { zh_CN: '创建 Liaison Key 字段', en: 'Create the Liaison Key field' },
    help: {
      zh_CN: '在 Zoho 的联系人/潜在客户、商机和任务模块中各创建一个唯一的单行文本字段「Liaison Key」，重试时按它更新而不会重复创建；已存在则沿用。需要管理员（或有「自定义模块」权限）的账户。',
      en: 'Creates a unique single-line field "Liaison Key" on Contacts/Leads, Deals and Tasks, so a retried create updates instead of duplicating; existing ones are reused. Needs an administrator (or a profile allowed to customise modules).',
    },
  },
});
