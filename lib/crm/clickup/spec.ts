// ClickUp as a work tracker (issue 17): a ticket becomes a ClickUp task in a chosen list, a
// follow-up on it a task comment, and its status is read back. Declared data only (UI-safe).
// ClickUp holds no customers for Liaison: the customer travels in the task's description.
// Facts (read 2026-12-06): ClickUp API v2 OpenAPI file (shared/specs/clickup.json, = developer.
// clickup.com/openapi/clickup-api-v2-reference.json, copy of 2026-07-30; SOURCES.md);
// developer.clickup.com/docs "Authentication" (updatedAt 2026-03-13: personal token pk_…, sent as
// `Authorization: {personal_token}`, no Bearer; avatar → Settings → Apps → Generate → Copy; "never
// expire"); help.clickup.com "Create your own app with the ClickUp API" (limited members with
// view-only permission cannot use the API); "Rate Limits" (per token, by the plan of the Workspace hosting it:
// Free Forever / Unlimited / Business 100 requests per minute, Business Plus 1,000, Enterprise
// 10,000; 429 with X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset as a Unix
// timestamp), "Common Errors" (updatedAt 2025-09-04: {err, ECODE}; OAUTH_017 header missing,
// OAUTH_019/021/025/077 token revoked, OAUTH_023/026/027/029–045 Workspace not authorized);
// shared/reference/crm-apis.md § ClickUp v2.
import { defineCrmSpec, ticketsOnlyCapabilities } from '../spec';
import type { TicketPriority } from '../../model/enums';

/** The tag prefix that carries Liaison's idempotency key on a task (see tasks.ts for why a tag). */
export const LIAISON_TAG_PREFIX = 'liaison-';

/**
 * ClickUp's four fixed task priorities (1 urgent … 4 low; create takes the number, reads answer
 * {id, priority}). Liaison's 紧急程度 → the configField holding its ClickUp priority, and the default.
 */
export const CLICKUP_PRIORITIES = [
  { value: '1', name: 'urgent', label: { zh_CN: '紧急 (Urgent)', en: 'Urgent' } },
  { value: '2', name: 'high', label: { zh_CN: '高 (High)', en: 'High' } },
  { value: '3', name: 'normal', label: { zh_CN: '普通 (Normal)', en: 'Normal' } },
  { value: '4', name: 'low', label: { zh_CN: '低 (Low)', en: 'Low' } },
  { value: 'none', name: 'none', label: { zh_CN: '不设置优先级', en: 'No priority' } },
] as const;

export const PRIORITY_FIELDS: Record<TicketPriority, { key: string; default: '1' | '2' | '3' | '4' }> = {
  低: { key: 'priorityLow', default: '4' },
  中: { key: 'priorityMedium', default: '3' },
  高: { key: 'priorityHigh', default: '2' },
  紧急: { key: 'priorityUrgent', default: '1' },
};

const priorityField = (p: TicketPriority) => ({
  key: PRIORITY_FIELDS[p].key,
  label: { zh_CN: `紧急程度「${p}」对应的 ClickUp 优先级`, en: `ClickUp priority for 紧急程度 "${p}"` },
  help: {
    zh_CN: `紧急程度为「${p}」的工单在 ClickUp 中的优先级（ClickUp 固定有 Urgent / High / Normal / Low 四级）。留空则用「${CLICKUP_PRIORITIES.find((c) => c.value === PRIORITY_FIELDS[p].default)!.label.zh_CN}」。`,
    en: `The ClickUp priority for tickets whose 紧急程度 is "${p}" (ClickUp has four: Urgent, High, Normal, Low). Empty: ${CLICKUP_PRIORITIES.find((c) => c.value === PRIORITY_FIELDS[p].default)!.label.en}.`,
  },
  secret: false,
  type: 'select' as const,
  required: false,
  options: CLICKUP_PRIORITIES.map((c) => ({ value: c.value, label: c.label })),
});

export const clickupSpec = defineCrmSpec({
  id: 'clickup',
  names: { zh_CN: 'ClickUp', en: 'ClickUp' },
  docsUrl: 'https://developer.clickup.com/docs/authentication',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'token',
        label: { zh_CN: 'ClickUp 个人 API 令牌', en: 'ClickUp personal API token' },
        help: {
          zh_CN:
            '1. 登录 ClickUp（app.clickup.com），点右上角的头像，选择「设置」(Settings)；2. 在左侧点「应用」(Apps)，或直接打开 https://app.clickup.com/settings/apps ；3. 在「API 令牌」(API Token) 处点「生成」(Generate)（已有令牌时不要点「重新生成」，直接复制）；4. 点「复制」(Copy)，粘贴到这里。令牌以 pk_ 开头、永不过期，拥有你账户在 ClickUp 中的全部权限（工单以你的名义创建）；它只保存在本机扩展的后台，只发送到 api.clickup.com。只有查看权限的受限成员不能使用 API。点「重新生成」会让旧令牌立即失效，之后需要在这里换上新令牌。',
          en:
            '1. Sign in to ClickUp (app.clickup.com), click your avatar in the upper-right corner and choose Settings; 2. in the sidebar click Apps, or open https://app.clickup.com/settings/apps directly; 3. under API Token click Generate (if you already have one, do not Regenerate: just copy it); 4. click Copy and paste it here. The token starts with pk_, never expires and can do everything your account can in ClickUp (tickets are created in your name); it stays in the extension background on this computer and is sent only to api.clickup.com. Limited members with view-only permission cannot use the API. Regenerate voids the old token at once: then paste the new one here.',
        },
        secret: true,
        type: 'password',
        required: true,
        placeholder: 'pk_12345678_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345',
      },
    ],
  },
  configFields: [
    {
      key: 'teamId',
      label: { zh_CN: 'ClickUp 工作区', en: 'ClickUp Workspace' },
      help: {
        zh_CN: '工单所在的工作区 (Workspace)。连接后按名称选择；也可以填工作区编号（打开 ClickUp 时地址 app.clickup.com/ 后面的数字）。',
        en: 'The Workspace tickets go to. Once connected, pick it by name; or type its id (the number after app.clickup.com/ in the address bar).',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
      placeholder: '9012345678',
    },
    {
      key: 'listId',
      label: { zh_CN: 'ClickUp 列表', en: 'ClickUp List' },
      help: {
        zh_CN: '工单作为任务创建在哪个列表 (List)。选定工作区后按「空间 / 文件夹 / 列表」名称选择；也可以填列表编号（列表「…」菜单 →「复制链接」，链接末尾的数字）。该列表所在空间需启用「标签」(Tags)：Liaison 用标签防止重试时重复创建。',
        en: 'The List tickets are created in as tasks. Once the Workspace is chosen, pick it as "Space / Folder / List"; or type its id (the List’s … menu → Copy link: the number at its end). The List’s Space must have Tags turned on: Liaison uses a tag so a retry never creates a second task.',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
      placeholder: '901234567890',
    },
    priorityField('低'),
    priorityField('中'),
    priorityField('高'),
    priorityField('紧急'),
  ],
  // ClickUp's API host only (developer.clickup.com: base https://api.clickup.com/api/v2).
  hostPermissions: ['https://api.clickup.com/*'],
  // No customers, follow-ups on customers, deals or tasks-as-reminders: those methods throw 'unsupported'.
  // A task; its status read back (GET /v2/task/{id}); follow-ups as task comments.
  capabilities: ticketsOnlyCapabilities({ zh_CN: 'ClickUp 任务', en: 'ClickUp task' }),
  // ClickUp takes no idempotency key and has no upsert: the key rides on the task as the tag
  // liaison-<key> (and a marker line in the description), and a create first looks for it with
  // GET /v2/list/{id}/task?tags[]=…, again after an unknown outcome; comments carry it as a marker
  // line and are looked up in the task's comments.
  idempotency: 'lookup',
  // "Rate Limits": 100 requests per minute per token on Free Forever, Unlimited and Business (the
  // lowest tier; Business Plus 1,000, Enterprise 10,000). Liaison budgets the lowest: 100/60 s,
  // a burst of 10, and obeys X-RateLimit-Reset (Unix seconds) on a 429 or when Remaining hits 0.
  rateLimit: { requestsPerSecond: 100 / 60, burst: 10, concurrentWrites: 1 },
  // ClickUp keeps no customer records, so nothing maps (the ticket's customer is written as text).
  defaultMapping: { customer: {} },
});
