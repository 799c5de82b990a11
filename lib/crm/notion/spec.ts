// Notion (a database of customer pages) through an internal integration token: declared data
// only (UI-safe). Facts: shared/reference/crm-apis.md § Notion; developers.notion.com
// (reference/request-limits, reference/errors, reference/query-a-data-source, reference/comment-object,
// changelog 2025-09-03 "data sources"); @notionhq/client 5.x (defaultNotionVersion "2025-09-03").
// Operations live beside this file and are imported by the background only.
import { defineCrmSpec } from '../spec';

export const NOTION_API = 'https://api.notion.com';
/**
 * The Notion-Version header every request sends: 2025-09-03, the first version with data sources
 * (databases hold data sources; pages are created under a data_source_id and queried through
 * POST /v1/data_sources/{id}/query). It is also the default the partial OpenAPI file declares
 * (shared/specs/notion.json components.parameters.notionVersion) and @notionhq/client 5.x sends.
 */
export const NOTION_VERSION = '2025-09-03';

/** The rich_text property setup() adds to every data source Liaison writes: the idempotency key (the Liaison record id). */
export const LIAISON_KEY_PROPERTY = 'Liaison key';
/** The relation property on the deals and tasks data sources that points at the customer page. */
export const CUSTOMER_RELATION_PROPERTY = '客户';

const TOKEN_HELP = {
  zh_CN:
    '1. 用工作区管理员账号打开 https://www.notion.so/profile/integrations（设置 → 连接 → 开发或管理集成）；2. 点「新建集成」，类型选「内部」，选择客户数据库所在的工作区，名称填 Liaison，保存；3. 在「功能」里勾选 读取内容、更新内容、插入内容，以及 读取评论、插入评论（跟进记录写成客户页面的评论），需要显示评论作者姓名时再勾选「读取用户信息（不含邮箱）」，保存；4. 在「配置」页点「显示」→「复制」内部集成密钥（以 ntn_ 或 secret_ 开头），粘贴到这里；5. 打开客户数据库（以及成交、任务数据库）→ 右上角「…」→「连接」→ 搜索并添加 Liaison，否则 Notion 会回答“找不到对象”。令牌只保存在本机扩展的后台，不会发送给网页或我们的服务器。',
  en:
    '1. As a workspace owner open https://www.notion.so/profile/integrations (Settings → Connections → Develop or manage integrations); 2. click "New integration", type "Internal", pick the workspace of your customer database, name it Liaison and save; 3. under "Capabilities" tick Read content, Update content, Insert content, plus Read comments and Insert comments (follow-ups are written as comments on the customer page), and "Read user information without email addresses" to show comment authors by name; save; 4. on the "Configuration" tab click "Show" → "Copy" the Internal Integration Secret (starts with ntn_ or secret_) and paste it here; 5. open the customer database (and the deals and tasks databases) → "…" (top right) → "Connections" → find and add Liaison, or Notion answers "object not found". The token stays in the extension background on this computer and is never sent to web pages or to us.',
};

const sourceHelp = (what: { zh: string; en: string }) => ({
  zh_CN: `打开${what.zh}数据库（整页打开），点右上角「分享」→「复制链接」，粘贴整个链接，或链接里 ? 之前的 32 位 ID。Notion 2025-09-03 起一个数据库可有多个数据源：粘贴数据库链接时使用它的第一个数据源；要指定其他数据源，在数据库设置 →「管理数据源」里复制该数据源的 ID 粘贴到这里。记得先把数据库「连接」到 Liaison 集成。`,
  en: `Open the ${what.en} database as a full page, click "Share" → "Copy link" and paste the whole link, or the 32-character id before the ?. Since Notion 2025-09-03 a database can hold several data sources: a database link uses its first data source; to pick another, copy that data source's id from the database settings → "Manage data sources". Remember to connect the database to the Liaison integration first.`,
});

export const notionSpec = defineCrmSpec({
  id: 'notion',
  names: { zh_CN: 'Notion', en: 'Notion' },
  docsUrl: 'https://developers.notion.com/docs/create-a-notion-integration',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'token',
        label: { zh_CN: '内部集成密钥', en: 'Internal integration secret' },
        help: TOKEN_HELP,
        secret: true,
        type: 'password',
        required: true,
        placeholder: 'ntn_…',
      },
    ],
  },
  configFields: [
    {
      key: 'customers_source',
      label: { zh_CN: '客户数据库（链接或 ID）', en: 'Customer database (link or id)' },
      help: sourceHelp({ zh: '客户', en: 'customer' }),
      secret: false,
      type: 'text',
      required: true,
      placeholder: 'https://www.notion.so/…/1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d?v=…',
    },
    {
      key: 'deals_source',
      label: { zh_CN: '成交数据库', en: 'Deals database' },
      help: sourceHelp({ zh: '成交', en: 'deals' }),
      secret: false,
      type: 'text',
      required: false,
    },
    {
      key: 'tasks_source',
      label: { zh_CN: '任务数据库', en: 'Tasks database' },
      help: sourceHelp({ zh: '任务', en: 'tasks' }),
      secret: false,
      type: 'text',
      required: false,
    },
  ],
  hostPermissions: ['https://api.notion.com/*'],
  capabilities: {
    // Pages read back with GET /v1/pages/{id} (in_trash → null), comments with GET /v1/comments,
    // deals by a relation filter on the deals data source, changes with a last_edited_time
    // timestamp filter. No conditional update: PATCH /v1/pages takes no version or If-Match.
    // last_edited_time is rounded down to the minute (changelog "Last edited and created time
    // properties are now rounded to the nearest minute"), so the pull re-reads a minute back.
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', conditionalUpdate: false, changesLagMs: 60_000 },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    // A comment on the customer's page (POST /v1/comments): it carries created_by and
    // created_time, is read back with GET /v1/comments, and does not touch the page's properties.
    followUps: 'native',
    // A page in the deals data source with a relation to the customer page.
    deals: 'linked-record',
    // A page in the tasks data source with a date property and a relation to the customer.
    tasks: 'linked-record',
  },
  // Notion has no idempotency key or upsert: the Liaison key rich_text property (created by
  // setup) is queried before every create, so a retry after a lost reply finds the first page.
  idempotency: 'lookup',
  // "an average of three requests per second per integration; some bursts beyond the average are
  // allowed" (reference/request-limits); 429 rate_limited with Retry-After (seconds).
  rateLimit: { requestsPerSecond: 3, burst: 3 },
  // Seed 004's example database: 客户姓名 (title), 平台/分类/优先级/状态 (select), 内容 (rich_text),
  // 创建时间 (date); Liaison adds its own fields by the same typed property kinds.
  defaultMapping: {
    customer: {
      name: '客户姓名',
      code: '客户编号',
      phones: '电话',
      email: '邮箱',
      company: '公司',
      source: '平台',
      stage: '状态',
      intentLevel: '优先级',
      tags: '标签',
      notes: '内容',
      nextFollowUpAt: '下次跟进',
    },
    deal: { product: '产品名称', amount: '金额', status: '状态', closedAt: '成交时间' },
  },
  setup: {
    label: { zh_CN: '添加 Liaison 需要的属性', en: 'Add the properties Liaison needs' },
    help: {
      zh_CN: '在客户数据库中添加缺少的属性（客户编号、电话、邮箱、状态、下次跟进等，按映射的类型）和「Liaison key」（防止重试时重复创建）；在成交、任务数据库中添加属性和指向客户的「客户」关联。已有的属性不改动；类型不符的属性会列出来。需要集成有「更新内容」权限。',
      en: 'Adds the missing properties to the customer database (客户编号, 电话, 邮箱, 状态, 下次跟进… typed as mapped) and "Liaison key" (so a retried create never duplicates), and to the deals and tasks databases their properties and a "客户" relation to the customer. Existing properties are left as they are; mistyped ones are listed. Needs the integration\'s "Update content" capability.',
    },
  },
});
