// NocoDB: the open-source, self-hosted table database many small teams run as their CRM.
// Declared data only (UI-safe). Facts: shared/reference/nocodb.md (REST API v2, checked against
// nocodb 0.301.3); operations live beside this file and are imported by the background only.
import { defineCrmSpec } from '../spec';

export const nocodbSpec = defineCrmSpec({
  setup: {
    label: { zh_CN: '创建/检查推荐表格', en: 'Create or check the recommended tables' },
    help: {
      zh_CN: '在这个 Base 里创建「客户」「跟进记录」「成交记录」三张表（含字段、选项和表间链接；已有同名表则复用并检查字段）。',
      en: 'Creates the 客户 (customers), 跟进记录 (follow-ups) and 成交记录 (deals) tables in this base, with fields, options and links between them; tables that already exist by title are reused and their fields checked.',
    },
  },
  id: 'nocodb',
  names: { zh_CN: 'NocoDB', en: 'NocoDB' },
  docsUrl: 'https://docs.nocodb.com/developer-resources/rest-APIs/overview',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'host',
        label: { zh_CN: 'NocoDB 地址', en: 'NocoDB URL' },
        help: {
          zh_CN: '你们自建 NocoDB 的访问地址，例如 http://192.168.1.20:8080 或 https://nocodb.example.com（只填到域名和端口）。',
          en: 'The address of your self-hosted NocoDB, e.g. http://192.168.1.20:8080 or https://nocodb.example.com (scheme, host and port only).',
        },
        secret: false,
        type: 'url',
        required: true,
        placeholder: 'http://127.0.0.1:8080',
      },
      {
        key: 'api_token',
        label: { zh_CN: 'API 令牌', en: 'API token' },
        help: {
          zh_CN:
            '1. 登录 NocoDB；2. 点左下角的账号菜单 →「Account settings / 账户设置」→「Tokens / API 令牌」（旧版本：Team & Settings → Tokens）；3. 点「Create new token / 新建令牌」，起个名字如 Liaison，复制生成的令牌粘贴到这里。令牌只保存在本机扩展的后台，不会发送给网页或我们的服务器。',
          en:
            '1. Sign in to NocoDB; 2. open the account menu (bottom left) → "Account settings" → "Tokens" (older versions: Team & Settings → Tokens); 3. click "Create new token", name it e.g. Liaison, and paste the token here. It stays in the extension background on this computer and is never sent to web pages or to us.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
    ],
  },
  configFields: [
    {
      key: 'base_id',
      label: { zh_CN: 'Base ID', en: 'Base id' },
      help: {
        zh_CN: '打开 NocoDB 里的 Base，地址形如 …/#/nc/<base id>/…，复制以 p 开头的那一段；也可在 Base 名称旁的「…」→「复制 Base ID」。',
        en: 'Open the base in NocoDB; its URL looks like …/#/nc/<base id>/…: copy that part (it starts with p), or use "…" beside the base name → "Copy base ID".',
      },
      secret: false,
      type: 'text',
      required: true,
      placeholder: 'pxxxxxxxxxxxxxx',
    },
    {
      key: 'customers_table',
      label: { zh_CN: '客户表 ID', en: 'Customers table id' },
      help: {
        zh_CN: '留空时按表名「客户」查找。要用已有的其他表时，在表名旁的「…」→「复制表 ID」（以 m 开头）。',
        en: 'Leave empty to use the table titled 客户. To use another existing table, "…" beside its title → "Copy table ID" (starts with m).',
      },
      secret: false,
      type: 'text',
      required: false,
      placeholder: 'mxxxxxxxxxxxxxx',
    },
    {
      key: 'followups_table',
      label: { zh_CN: '跟进记录表 ID', en: 'Follow-ups table id' },
      help: { zh_CN: '留空时按表名「跟进记录」查找；该表需有链接到客户表的「客户」字段。', en: 'Leave empty to use the table titled 跟进记录; it needs a 客户 link field to the customers table.' },
      secret: false,
      type: 'text',
      required: false,
      placeholder: 'mxxxxxxxxxxxxxx',
    },
    {
      key: 'deals_table',
      label: { zh_CN: '成交记录表 ID', en: 'Deals table id' },
      help: { zh_CN: '留空时按表名「成交记录」查找；该表需有链接到客户表的「客户」字段。', en: 'Leave empty to use the table titled 成交记录; it needs a 客户 link field to the customers table.' },
      secret: false,
      type: 'text',
      required: false,
      placeholder: 'mxxxxxxxxxxxxxx',
    },
  ],
  // Self-hosted: the origin of the URL the user enters.
  hostPermissions: [{ fromField: 'host' }],
  capabilities: {
    // Read back (read.ts): rows by Id, linked follow-up/deal rows, and changes by a where on the
    // system UpdatedAt/CreatedAt. No conditional update: the v2 PATCH takes no version or
    // If-Match, and the modified time is only to the second.
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', followUpChanges: true, conditionalUpdate: false },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'linked-record',
    deals: 'linked-record',
    tasks: 'none',
    // More than 100 rows per request is refused (422 ERR_MAX_PAYLOAD_LIMIT_EXCEEDED).
    batchCreate: 100,
  },
  // No upsert and no idempotency key: search before create, reconcile by lookup after a lost reply.
  idempotency: 'lookup',
  // NocoDB itself does not throttle, but it is usually a small server the team shares (SQLite
  // allows one writer at a time): stay polite and write one request at a time.
  rateLimit: { requestsPerSecond: 10, burst: 10, concurrentWrites: 1 },
  // Liaison keeps its own customer codes; NocoDB's record Id (or 客户编号) is shown as the remote code.
  // The recommended 客户编号 is a formula on the row id (one sequence for the whole team); prepare() says false for a text column Liaison fills.
  codeMaster: true,
  defaultMapping: {
    customer: {
      code: '客户编号', name: '姓名', company: '公司', phones: '电话', wechatId: '微信号', email: '邮箱', source: '来源渠道',
      product: '意向产品', amount: '意向金额', intentLevel: '意向等级', stage: '客户阶段', tags: '标签', owner: '负责人',
      keyword: '搜索关键词', notes: '备注', nextFollowUpAt: '下次跟进',
    },
    followUp: { method: '跟进方式', content: '跟进内容', result: '跟进结果', nextAction: '下次行动', nextAt: '下次时间', at: '跟进时间', by: '跟进人' },
    deal: { product: '产品名称', institution: '银行', amount: '成交金额', rate: '利率', termMonths: '期限', commission: '佣金', status: '状态', closedAt: '成交时间' },
  },
});
