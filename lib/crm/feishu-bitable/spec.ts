// Feishu / Lark Bitable (飞书多维表格), seed 000's CRM: declared data only (UI-safe).
// Facts: shared/reference/crm-apis.md § Feishu / Lark Bitable (official docs mirrored in
// wxkingstar/doc-hub-mcp). Operations live beside this file and are imported by the background only.
import { defineCrmSpec } from '../spec';

export const FEISHU_HOSTS = {
  'feishu.cn': 'https://open.feishu.cn',
  'larksuite.com': 'https://open.larksuite.com',
} as const;
export type FeishuHost = keyof typeof FEISHU_HOSTS;

export const feishuBitableSpec = defineCrmSpec({
  setup: {
    label: { zh_CN: '创建/检查推荐表格', en: 'Create or check the recommended tables' },
    help: {
      zh_CN: '在这个多维表格里创建 客户信息表、跟进记录表、成交记录表（已有同名表则复用）；新建的客户信息表里「客户ID」是自动编号（如 KH2026-0001），由飞书统一分配，团队里不会重号。选择「使用已有表格」时检查字段是否齐全。',
      en: 'Creates the customer, follow-up and deal tables in this Bitable (reusing tables of the same name); in a new customers table 客户ID is an auto number (e.g. KH2026-0001) that Feishu hands out, so no two people on the team get the same code. With "use existing tables", checks their fields.',
    },
  },
  id: 'feishu-bitable',
  names: { zh_CN: '飞书多维表格', en: 'Feishu Bitable' },
  docsUrl: 'https://open.feishu.cn/document/server-docs/docs/bitable-v1/bitable-overview',
  auth: {
    kind: 'app-credentials',
    fields: [
      {
        key: 'host',
        label: { zh_CN: '区域', en: 'Region' },
        help: {
          zh_CN: '中国大陆的飞书选 feishu.cn；海外版 Lark 选 larksuite.com。',
          en: 'Choose feishu.cn for Feishu (mainland China) or larksuite.com for Lark (international).',
        },
        secret: false,
        type: 'select',
        required: true,
        options: [
          { value: 'feishu.cn', label: { zh_CN: '飞书 (open.feishu.cn)', en: 'Feishu (open.feishu.cn)' } },
          { value: 'larksuite.com', label: { zh_CN: 'Lark (open.larksuite.com)', en: 'Lark (open.larksuite.com)' } },
        ],
      },
      {
        key: 'app_id',
        label: { zh_CN: 'App ID', en: 'App ID' },
        help: {
          zh_CN:
            '1. 打开飞书开放平台 open.feishu.cn（Lark：open.larksuite.com）→ 开发者后台 → 创建企业自建应用；2. 在「凭证与基础信息」复制 App ID（以 cli_ 开头）；3. 在「权限管理」开通 bitable:app（查看、评论、编辑和管理多维表格）或 base:record:create / base:record:update / base:record:retrieve，需要提醒任务时再开通 task:task:write；4. 发布应用版本；5. 在多维表格右上角「…」→「更多」→「添加文档应用」把这个应用加为可编辑。',
          en:
            '1. Open the Feishu Open Platform open.feishu.cn (Lark: open.larksuite.com) → Developer Console → Create Custom App; 2. copy the App ID (starts with cli_) from "Credentials & Basic Info"; 3. under "Permissions & Scopes" enable bitable:app (or base:record:create / base:record:update / base:record:retrieve), plus task:task:write for reminders as tasks; 4. publish a version of the app; 5. in the Base, "…" → "More" → "Add document app" and give the app edit access.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: 'cli_a1b2c3d4e5f6a7b8',
      },
      {
        key: 'app_secret',
        label: { zh_CN: 'App Secret', en: 'App Secret' },
        help: {
          zh_CN: '在同一页「凭证与基础信息」复制 App Secret。它只保存在本机扩展的后台，不会发送给网页或我们的服务器。',
          en: 'Copy the App Secret from the same "Credentials & Basic Info" page. It stays in the extension background on this computer and is never sent to web pages or to us.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
    ],
  },
  configFields: [
    {
      key: 'app_token',
      label: { zh_CN: '多维表格 app_token', en: 'Base app_token' },
      help: {
        zh_CN: '打开多维表格，地址形如 https://xxx.feishu.cn/base/<app_token>?table=tbl…，复制 /base/ 后到 ? 前的那一段。知识库里的多维表格（/wiki/ 地址）需先在多维表格中「在新窗口打开」得到 /base/ 地址。',
        en: 'Open the Base; its URL looks like https://xxx.feishu.cn/base/<app_token>?table=tbl…; copy the part after /base/ and before ?. For a Base inside a wiki (/wiki/ URL), open it in a new window first to get the /base/ URL.',
      },
      secret: false,
      type: 'text',
      required: true,
      placeholder: 'bascnXXXXXXXXXXXXXXXXXXXXXX',
    },
    {
      key: 'tables_mode',
      label: { zh_CN: '数据表', en: 'Tables' },
      help: {
        zh_CN: '「创建推荐表格」会在这个多维表格里建好客户信息表、跟进记录表、成交记录表（字段和选项与方案一致；已存在同名表时直接使用）。「使用已有表格」需要填写下面三个 table_id，并按字段名检查缺少的字段。',
        en: '"Create recommended tables" builds 客户信息表 (customers), 跟进记录表 (follow-ups) and 成交记录表 (deals) in this Base with the recommended fields and options (tables that already exist by name are reused). "Use existing tables" needs the three table ids below and checks their fields by name.',
      },
      secret: false,
      type: 'select',
      required: true,
      options: [
        { value: 'create', label: { zh_CN: '创建推荐表格', en: 'Create recommended tables' } },
        { value: 'existing', label: { zh_CN: '使用已有表格', en: 'Use existing tables' } },
      ],
    },
    {
      key: 'customers_table',
      label: { zh_CN: '客户信息表 table_id', en: 'Customers table id' },
      help: {
        zh_CN: '打开该数据表，地址里 table= 后面以 tbl 开头的一段。',
        en: 'Open the table; the part after table= in its URL, starting with tbl.',
      },
      secret: false,
      type: 'text',
      required: false,
      placeholder: 'tblXXXXXXXXXXXXX',
    },
    {
      key: 'followups_table',
      label: { zh_CN: '跟进记录表 table_id', en: 'Follow-ups table id' },
      help: { zh_CN: '同上，跟进记录表的 table_id（需有关联到客户信息表的「客户ID」字段）。', en: 'As above, for the follow-ups table (needs a 客户ID link field to the customers table).' },
      secret: false,
      type: 'text',
      required: false,
      placeholder: 'tblXXXXXXXXXXXXX',
    },
    {
      key: 'deals_table',
      label: { zh_CN: '成交记录表 table_id', en: 'Deals table id' },
      help: { zh_CN: '同上，成交记录表的 table_id（需有关联到客户信息表的「客户ID」字段）。', en: 'As above, for the deals table (needs a 客户ID link field to the customers table).' },
      secret: false,
      type: 'text',
      required: false,
      placeholder: 'tblXXXXXXXXXXXXX',
    },
  ],
  hostPermissions: ['https://open.feishu.cn/*', 'https://open.larksuite.com/*'],
  capabilities: {
    // Read back with batch_get / records/search (read.ts, history.ts). changesSince filters on the
    // customers table's 最后更新时间 field; Bitable has no version or ETag to guard an update with.
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', conditionalUpdate: false },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'linked-record',
    deals: 'linked-record',
    // Feishu Task v2 (POST /open-apis/task/v2/tasks): a real task with a due time in the user's Feishu.
    tasks: 'native',
    // batch_create: the docs say ≤1000 in places but error 1254104 says 500; 500 is safe everywhere.
    batchCreate: 500,
  },
  idempotency: 'key',
  // Per API × app × tenant: search 20/s, record writes 50/s, tasks 10/s. One limiter serves every
  // API, so burst + rate stays well under 20 in any second (search's limit): 15, since Feishu
  // counts arrivals and requests paced on sending can arrive bunched (a burst test met a 429 with
  // burst 10 at load 14). Bitable rejects concurrent writes to one table (1254291), so writes run
  // one at a time.
  rateLimit: { requestsPerSecond: 10, burst: 5, concurrentWrites: 1 },
  defaultMapping: {
    customer: {
      code: '客户ID', name: '姓名', phones: '电话', wechatId: '微信号', source: '来源渠道', product: '意向产品',
      amount: '意向金额', intentLevel: '意向等级', stage: '贷款状态', notes: '备注', tags: '标签', keyword: '搜索关键词',
      nextFollowUpAt: '下次跟进',
    },
    followUp: { method: '跟进方式', content: '跟进内容', result: '跟进结果', nextAction: '下次行动', nextAt: '下次时间', at: '跟进时间', by: '跟进人' },
    deal: { product: '产品名称', institution: '银行', amount: '贷款金额', rate: '利率', termMonths: '期限', commission: '佣金', status: '状态', closedAt: '成交时间' },
  },
});
