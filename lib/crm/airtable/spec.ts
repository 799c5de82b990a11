// Airtable (a base the user chooses by name, four tables in it): declared data only (UI-safe).
// Airtable publishes no machine-readable API description; the facts here are from
// airtable.com/developers/web/api (list/create/update/upsert records, meta API bases/tables/
// fields, errors, rate limits; read 2026-12-06) and shared/reference/crm-apis.md § Airtable.
// Operations live beside this file and are imported by the background only.
import { defineCrmSpec } from '../spec';

export const AIRTABLE_API = 'https://api.airtable.com';

/** The key field Liaison merges on (performUpsert.fieldsToMergeOn): the outbox entry's idempotency key. */
export const LIAISON_KEY_FIELD = 'Liaison Key';
/** The link from follow-ups, deals and tasks to their customer. */
export const CUSTOMER_LINK_FIELD = '客户';

export const DEFAULT_TABLES = { customer: '客户', followUp: '跟进记录', deal: '成交', task: '任务' } as const;

const tableField = (key: string, zh: string, en: string, def: string) => ({
  key,
  label: { zh_CN: `${zh}表名`, en: `${en} table name` },
  help: {
    zh_CN: `Base 中保存${zh}的表的名称（默认「${def}」）。点「一键创建」会在缺少时创建它及所需字段。`,
    en: `The name of the table holding ${en.toLowerCase()} records in the base (default "${def}"). "Create the tables" creates it and its fields when missing.`,
  },
  secret: false,
  type: 'text' as const,
  required: false,
  placeholder: def,
  remoteChoices: true,
});

export const airtableSpec = defineCrmSpec({
  id: 'airtable',
  names: { zh_CN: 'Airtable', en: 'Airtable' },
  docsUrl: 'https://airtable.com/developers/web/api/introduction',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'token',
        label: { zh_CN: '个人访问令牌 (PAT)', en: 'Personal access token' },
        help: {
          zh_CN:
            '1. 登录 Airtable，打开 airtable.com/create/tokens（头像 → Builder hub → Personal access tokens）；2. 点「Create token」，名称填 Liaison；3. Scopes 添加 data.records:read、data.records:write、schema.bases:read、schema.bases:write（一键建表用）和 user.email:read（测试连接时显示账号）；4. Access 中点「Add a base」选择要同步的 Base（只选这一个）；5. 点「Create token」，复制以 pat 开头的令牌粘贴到这里（只显示一次）。令牌只保存在本机扩展的后台。',
          en:
            '1. Sign in to Airtable and open airtable.com/create/tokens (avatar → Builder hub → Personal access tokens); 2. click "Create token" and name it Liaison; 3. add the scopes data.records:read, data.records:write, schema.bases:read, schema.bases:write (for one-click table setup) and user.email:read (to name the account on "test connection"); 4. under Access click "Add a base" and pick the base to sync (only that one); 5. click "Create token", copy the token (it starts with pat and is shown once) and paste it here. It stays in the extension background on this computer.',
        },
        secret: true,
        type: 'password',
        required: true,
        placeholder: 'pat…',
      },
    ],
  },
  configFields: [
    {
      key: 'baseName',
      label: { zh_CN: 'Base 名称', en: 'Base name' },
      help: {
        zh_CN: '要同步的 Airtable Base 的名称（与 Airtable 首页显示的一致）。保存令牌后可从列表中选择；令牌必须有权访问该 Base。',
        en: 'The name of the Airtable base to sync, as the Airtable home page shows it. Once the token is saved, pick it from the list; the token must have access to that base.',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
    },
    tableField('customerTable', '客户', 'Customers', DEFAULT_TABLES.customer),
    tableField('followUpTable', '跟进记录', 'Follow-ups', DEFAULT_TABLES.followUp),
    tableField('dealTable', '成交', 'Deals', DEFAULT_TABLES.deal),
    tableField('taskTable', '任务', 'Tasks', DEFAULT_TABLES.task),
  ],
  hostPermissions: ['https://api.airtable.com/*'],
  capabilities: {
    // Read back: a record by id (marker: a digest of its fields, or its lastModifiedTime field),
    // follow-ups and deals through the customer's inverse link field, changes by
    // filterByFormula on LAST_MODIFIED_TIME(). No conditional update: Airtable's PATCH takes no
    // precondition (no ETag, no If-Match on records).
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', conditionalUpdate: false },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'linked-record',
    deals: 'linked-record',
    tasks: 'linked-record',
    // Create/update/upsert take at most 10 records a request.
    batchCreate: 10,
  },
  // performUpsert with fieldsToMergeOn [Liaison Key] = the outbox entry's idempotency key.
  idempotency: 'upsert',
  // Airtable allows 5 requests per second per base and answers a 6th with 429 and a 30 s wait
  // (documented). A bucket of 5 would let 10 through in one second (5 at once + 5 refilled), so
  // requests are spaced: 4 a second, one at a time, which keeps any second under 5 even when
  // network jitter bunches their arrivals.
  rateLimit: { requestsPerSecond: 4, burst: 1 },
  defaultMapping: {
    customer: {
      name: '客户名称',
      code: '客户编号',
      phones: '电话',
      email: '邮箱',
      company: '公司',
      source: '来源渠道',
      product: '意向产品',
      stage: '客户阶段',
      nextFollowUpAt: '下次跟进',
      notes: '备注',
    },
    followUp: { content: '跟进内容', method: '跟进方式', result: '跟进结果', nextAction: '下次行动', nextAt: '下次跟进时间', at: '跟进时间', by: '跟进人' },
    deal: { product: '产品', institution: '银行', amount: '金额', status: '状态', closedAt: '成交时间' },
  },
  setup: {
    label: { zh_CN: '一键创建表和字段', en: 'Create the tables and fields' },
    help: {
      zh_CN: '在所选 Base 中创建「客户」「跟进记录」「成交」「任务」四张表（已存在则只补齐缺少的字段），包括防重复用的「Liaison Key」字段和指向客户的「客户」关联字段。需要 schema.bases:write 权限。',
      en: 'Creates the tables 客户 (customers), 跟进记录 (follow-ups), 成交 (deals) and 任务 (tasks) in the chosen base (existing ones only get their missing fields), including the "Liaison Key" field that keeps retries from duplicating and the 客户 link to the customer. Needs the schema.bases:write scope.',
    },
  },
});
