// Trello as a place tickets go (issue 17): a ticket becomes a card in a chosen list of a chosen
// board, a follow-up on it a comment, its status is read back from the list the card sits in
// (mapped by the user), whether it is archived and whether its due date is marked complete.
// Declared data only (UI-safe). Trello holds no customers: the customer travels in the card's
// description. Facts (read 2026-12-06): Trello's OpenAPI file (shared/specs/trello.json =
// developer.atlassian.com/cloud/trello/swagger.v3.json, SOURCES.md); developer.atlassian.com/
// cloud/trello/guides/rest-api: "Authorizing With Trello's REST API" (last updated Jun 24, 2025:
// an API key from the Power-Up admin page, a user token from 1/authorize, both as the key and
// token query parameters), "API Introduction" (Jan 26, 2026), "Rate Limits" (Jan 26, 2026: 300
// requests per 10 s per API key, 100 per 10 s per token, /1/members/ 100 per 900 s; 429 with
// {"error":"API_TOKEN_LIMIT_EXCEEDED"|"API_KEY_LIMIT_EXCEEDED","message":"Rate limit exceeded"};
// no rate-limit headers are documented); shared/reference/crm-apis.md § Trello.
import { defineCrmSpec, ticketsOnlyCapabilities } from '../spec';
import type { TicketPriority, TicketStatus } from '../../model/enums';

/** The marker line's prefix: the description's last line (and a comment's) carries Liaison's key. */
export const MARKER_PREFIX = 'Liaison';

/** Liaison's 紧急程度 → the configField holding the id of the board label that marks it (Trello has no priority field). */
export const PRIORITY_LABEL_FIELDS: Record<TicketPriority, string> = { 低: 'labelLow', 中: 'labelMedium', 高: 'labelHigh', 紧急: 'labelUrgent' };

/** The statuses a list can stand for (新建 is the list new cards go to), and the configField naming it. */
export const STATUS_LIST_FIELDS: { status: Exclude<TicketStatus, '新建'>; key: string }[] = [
  { status: '处理中', key: 'listInProgress' },
  { status: '待回复', key: 'listWaiting' },
  { status: '已解决', key: 'listResolved' },
  { status: '已关闭', key: 'listClosed' },
];

const STATUS_EN: Record<TicketStatus, string> = { 新建: 'new', 处理中: 'in progress', 待回复: 'waiting for reply', 已解决: 'resolved', 已关闭: 'closed' };

const statusList = (status: Exclude<TicketStatus, '新建'>, key: string) => ({
  key,
  label: { zh_CN: `表示「${status}」的列表`, en: `List meaning "${STATUS_EN[status]}" (${status})` },
  help: {
    zh_CN: `卡片被同事拖到这个列表时，Liaison 显示工单状态为「${status}」。连接并选定看板后按名称选择；留空则不用列表表示该状态。未映射的其他列表视为「处理中」，已归档的卡片为「已关闭」，截止日期已勾选完成的卡片为「已解决」。`,
    en: `When a colleague moves the card to this list, Liaison shows the ticket as ${status} (${STATUS_EN[status]}). Pick it by name once the board is chosen; empty: no list means this. Lists not mapped count as 处理中 (in progress), an archived card as 已关闭 (closed), a card whose due date is marked complete as 已解决 (resolved).`,
  },
  secret: false,
  type: 'text' as const,
  required: false,
  remoteChoices: true,
});

const priorityLabel = (p: TicketPriority) => ({
  key: PRIORITY_LABEL_FIELDS[p],
  label: { zh_CN: `紧急程度「${p}」对应的标签`, en: `Label for 紧急程度 "${p}"` },
  help: {
    zh_CN: `Trello 没有优先级字段：紧急程度为「${p}」的工单贴上看板上的这个标签（如红色「紧急」）。连接并选定看板后按名称选择；留空则不贴标签。`,
    en: `Trello has no priority field: tickets whose 紧急程度 is "${p}" get this label of the board (a red "Urgent", say). Pick it by name once the board is chosen; empty: no label.`,
  },
  secret: false,
  type: 'text' as const,
  required: false,
  remoteChoices: true,
});

export const trelloSpec = defineCrmSpec({
  id: 'trello',
  names: { zh_CN: 'Trello', en: 'Trello' },
  docsUrl: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/api-introduction/',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'apiKey',
        label: { zh_CN: 'API 密钥 (API key)', en: 'API key' },
        help: {
          zh_CN:
            '1. 登录 Trello，打开 https://trello.com/power-ups/admin；2. 若还没有 Power-Up，点「新建」(New)，名称填 Liaison，选择你的工作区，填写邮箱后创建（只是为了拿到密钥，不需要发布）；3. 打开这个 Power-Up，进入「API 密钥」(API key) 标签页，点「生成新的 API 密钥」(Generate a new API Key)；4. 复制显示的 32 位密钥，粘贴到这里。',
          en:
            '1. Signed in to Trello, open https://trello.com/power-ups/admin; 2. if you have no Power-Up yet, click New, name it Liaison, choose your Workspace, enter your email and create it (only to get a key; nothing is published); 3. open that Power-Up, go to the API key tab and click Generate a new API Key; 4. copy the 32-character key and paste it here.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
      {
        key: 'token',
        label: { zh_CN: '令牌 (token)', en: 'Token' },
        help: {
          zh_CN:
            '1. 在上一步的「API 密钥」页，点密钥旁边的「令牌」(Token) 链接（手动生成令牌）；或者在浏览器打开 https://trello.com/1/authorize?expiration=never&scope=read,write&response_type=token&name=Liaison&key=你的API密钥 ；2. 确认页面显示的是要创建卡片的那个 Trello 账户，点「允许」(Allow)；3. 复制页面上显示的令牌，粘贴到这里。卡片和评论以这个账户的名义创建，它必须是所选看板的成员。令牌只保存在本机扩展的后台，只发送到 api.trello.com；可在 Trello 的「设置 → 应用」(Settings → Applications) 中随时撤销。',
          en:
            '1. On the API key page of the previous step, click the Token link beside the key (generate a token manually), or open https://trello.com/1/authorize?expiration=never&scope=read,write&response_type=token&name=Liaison&key=YOUR_API_KEY in the browser; 2. check that the page shows the Trello account the cards should be created as, and click Allow; 3. copy the token it shows and paste it here. Cards and comments are created as that account, which must be a member of the chosen board. The token stays in the extension background on this computer and is sent only to api.trello.com; revoke it any time under Settings → Applications in Trello.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
    ],
  },
  configFields: [
    {
      key: 'idBoard',
      label: { zh_CN: 'Trello 看板', en: 'Trello board' },
      help: {
        zh_CN: '工单卡片放在哪个看板上。连接后按名称选择（显示看板所属的工作区）。',
        en: 'The board ticket cards go on. Once connected, pick it by name (its Workspace is shown beside it).',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
    },
    {
      key: 'idList',
      label: { zh_CN: '新工单所在列表', en: 'List for new tickets' },
      help: {
        zh_CN: '新建的卡片放进这个列表（如「待处理」），在其中的卡片状态为「新建」。选定看板后按名称选择。',
        en: 'New cards go into this list (an "Inbox" or "To do"); a card in it is 新建 (new). Pick it by name once the board is chosen.',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
    },
    ...STATUS_LIST_FIELDS.map((f) => statusList(f.status, f.key)),
    priorityLabel('低'),
    priorityLabel('中'),
    priorityLabel('高'),
    priorityLabel('紧急'),
  ],
  // Trello's API host only: every call goes to https://api.trello.com/1.
  hostPermissions: ['https://api.trello.com/*'],
  // No customers, follow-ups on customers, deals or tasks: those methods throw 'unsupported'.
  // A card; its status read back (GET /1/cards/{id} with its list); follow-ups as comments.
  capabilities: ticketsOnlyCapabilities({ zh_CN: 'Trello 卡片', en: 'Trello card' }),
  // Trello takes no idempotency key and has no upsert: the key rides on the card as the last line
  // of its description and a create first reads the board's cards for it (GET
  // /1/boards/{id}/cards/all, read from the board itself, so no index lag), again after an unknown
  // outcome; comments carry it as a marker line and are looked up in the card's comments.
  idempotency: 'lookup',
  // "Rate Limits" (Jan 26, 2026): 100 requests per 10 s per token, 300 per 10 s per API key.
  // Liaison stays under the token's budget (8/s, bucket 10) and, as no header tells the reset,
  // waits out the documented 10-second window after a 429. Writes are serialised.
  rateLimit: { requestsPerSecond: 8, burst: 10, concurrentWrites: 1 },
  // Trello keeps no customer records, so nothing maps (the ticket's customer is written as text).
  defaultMapping: { customer: {} },
});
