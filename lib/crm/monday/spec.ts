// monday.com (items on boards the user chooses) through a personal API token: declared data
// only (UI-safe). Facts: shared/reference/crm-apis.md § Monday.com; developer.monday.com
// api-reference/docs/{authentication, rate-limits, error-handling, items-page-by-column-values,
// column-types-reference, api-versioning} (read 2026-12-06); the GraphQL schema
// shared/specs/monday.graphql (version 2026-10, SOURCES.md) every request is validated against
// in the contract tests. Operations live beside this file and are imported by the background only.
import { defineCrmSpec } from '../spec';

export const MONDAY_API = 'https://api.monday.com';
/**
 * The API-Version header every request sends: 2026-10, the version of the schema the contract
 * tests validate our documents against (shared/specs/monday.graphql = api.monday.com/v2/get_schema
 * ?format=sdl&version=2026-10). Without the header monday answers with its current default
 * version, which moves every quarter (api-reference/docs/api-versioning).
 */
export const MONDAY_API_VERSION = '2026-10';

/** The text column setup() adds to every board Liaison writes: the idempotency key (the Liaison record id). */
export const LIAISON_KEY_COLUMN = 'Liaison key';
/** The text column on the deals and tasks boards holding the customer's item id (see deal.ts for why text, not board_relation). */
export const CUSTOMER_ITEM_COLUMN = 'Liaison 客户';
/** The date column on the tasks board (setup adds it). */
export const TASK_DUE_COLUMN = '截止时间';
export const TASK_NOTE_COLUMN = '备注';

const TOKEN_HELP = {
  zh_CN:
    '1. 登录 monday.com，点右上角（或左下角）的头像；2. 选「开发者」（Developers），会打开开发者中心；3. 在左侧点「我的访问令牌」（My access tokens）→「显示」（Show）→「复制」；4. 粘贴到这里。只有管理员和成员可以使用个人令牌（访客不行）；令牌拥有你本人在 monday 里的全部权限，只保存在本机扩展的后台，不会发送给网页或我们的服务器。在开发者中心「重新生成」令牌后，旧令牌立即失效，需要在这里重新粘贴。',
  en:
    '1. Sign in to monday.com and click your avatar (top right or bottom left); 2. choose "Developers", which opens the Developer Center; 3. in the left menu click "My access tokens" → "Show" → "Copy"; 4. paste it here. Only admins and members can use a personal token (not guests); it carries all your own monday permissions, stays in the extension background on this computer and is never sent to web pages or to us. Regenerating it in the Developer Center revokes the old one at once: paste the new one here.',
};

const boardHelp = (what: { zh: string; en: string }, optional: boolean) => ({
  zh_CN: `连接后可直接从列表中选择${what.zh}看板；也可以粘贴看板链接（https://<账号>.monday.com/boards/1234567890）或其中的数字 ID。${optional ? '不填则不同步' + what.zh.replace('看板', '') + '。' : ''}令牌所属的用户必须能访问该看板。`,
  en: `Once connected, pick the ${what.en} board from the list, or paste the board link (https://<account>.monday.com/boards/1234567890) or its numeric id.${optional ? ` Leave empty not to sync ${what.en.replace(' board', '')}.` : ''} The token's user must have access to the board.`,
});

export const mondaySpec = defineCrmSpec({
  id: 'monday',
  names: { zh_CN: 'monday.com', en: 'monday.com' },
  docsUrl: 'https://developer.monday.com/api-reference/docs/authentication',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'token',
        label: { zh_CN: '个人 API 令牌', en: 'Personal API token' },
        help: TOKEN_HELP,
        secret: true,
        type: 'password',
        required: true,
        placeholder: 'eyJhbGciOiJIUzI1NiJ9…',
      },
    ],
  },
  configFields: [
    { key: 'customers_board', label: { zh_CN: '客户看板', en: 'Customers board' }, help: boardHelp({ zh: '客户看板', en: 'customers board' }, false), secret: false, type: 'text', required: true, remoteChoices: true, placeholder: 'https://acme.monday.com/boards/1234567890' },
    { key: 'deals_board', label: { zh_CN: '成交看板', en: 'Deals board' }, help: boardHelp({ zh: '成交看板', en: 'deals board' }, true), secret: false, type: 'text', required: false, remoteChoices: true },
    { key: 'tasks_board', label: { zh_CN: '任务看板', en: 'Tasks board' }, help: boardHelp({ zh: '任务看板', en: 'tasks board' }, true), secret: false, type: 'text', required: false, remoteChoices: true },
  ],
  hostPermissions: ['https://api.monday.com/*'],
  capabilities: {
    // items(ids) for one item (state deleted/archived → null), its updates for follow-ups, deals
    // by items_page_by_column_values on the deals board's customer column, changes with
    // boards.items_page filtered and sorted by __last_updated__ (day-level filter, trimmed to the
    // exact time from each item's updated_at: read.ts). No conditional update: monday's mutations
    // take no version or precondition.
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', conditionalUpdate: false },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    // An update on the customer's item (create_update): it carries creator and created_at and does
    // not change the item's column values.
    followUps: 'native',
    // An item on the deals board with the customer's item id in the Liaison 客户 column.
    deals: 'linked-record',
    // An item on the tasks board with a date column (see deal.ts for why not subitems).
    tasks: 'linked-record',
  },
  // No idempotency key or upsert in monday's API: the Liaison key text column (created by setup)
  // is searched with items_page_by_column_values before every create, so a retry after a lost
  // reply finds the first item.
  idempotency: 'lookup',
  // rate-limits: complexity 10M points/min per personal token (1M trial/free), 5M per query;
  // per-minute request limits by plan; daily calls: free/trial 200, basic/standard 1,000, pro
  // 10,000, enterprise 25,000 (soft). The daily figure declared is the lowest paid tier's; the
  // complexity budget is read from every reply (client.ts) and 429s carry Retry-After.
  rateLimit: { requestsPerSecond: 5, burst: 5, dailyQuota: 1000 },
  // Column titles (or column ids) on the customers board; `name` is the item name.
  defaultMapping: {
    customer: {
      name: 'name',
      code: '客户编号',
      phones: '电话',
      email: '邮箱',
      company: '公司',
      source: '来源',
      stage: '状态',
      intentLevel: '意向等级',
      tags: '标签',
      notes: '备注',
      nextFollowUpAt: '下次跟进',
    },
    deal: { product: 'name', amount: '金额', status: '状态', closedAt: '成交时间', institution: '机构' },
  },
  setup: {
    label: { zh_CN: '添加 Liaison 需要的列', en: 'Add the columns Liaison needs' },
    help: {
      zh_CN: '在客户看板上添加缺少的列（客户编号、电话、邮箱、状态、下次跟进等，按映射的类型）和「Liaison key」文本列（防止重试时重复创建）；在成交、任务看板上添加它们的列、「Liaison 客户」列（客户条目 ID）和任务的「截止时间」日期列。已有的列不改动；类型不符的列会列出来。令牌所属用户需要能编辑看板结构。',
      en: 'Adds the missing columns to the customers board (客户编号, 电话, 邮箱, 状态, 下次跟进… typed as mapped) and a "Liaison key" text column (so a retried create never duplicates), and to the deals and tasks boards their columns, a "Liaison 客户" column (the customer item id) and the tasks\' "截止时间" date column. Existing columns are left as they are; mistyped ones are listed. The token\'s user must be allowed to edit the boards\' structure.',
    },
  },
});
