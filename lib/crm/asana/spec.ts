// Asana as a work tracker (issue 17): a ticket becomes a task in a chosen project, a follow-up on
// it a comment (a story), and its state is read back from `completed` and the task's section in
// the project. Declared data only (UI-safe). Asana holds no customers: the customer travels in
// the task's notes.
// Facts (read 2026-12-06): Asana's own OpenAPI file (shared/specs/asana.yaml = Asana/openapi
// @ fc9f8dcf224e defs/asana_oas.yaml, 2026-06-11; SOURCES.md); developers.asana.com/docs:
// "Personal access token" (updated 2026-01-22: Authorization: Bearer <PAT>, generated in the
// developer console app.asana.com/0/my-apps), "Rate limits" (per token: 150 requests a minute on a
// free domain, 1,500 on a paid one; 429 with Retry-After in seconds; search API 60 a minute),
// "Errors" (updated 2025-09-12: {errors:[{message, help, phrase}]}, 400/401/402/403/404/429/500);
// the file's own text on Task.external ("*OAuth Required*": not writable with a PAT) and on
// /workspaces/{gid}/tasks/search (premium only, 402 otherwise; eventually consistent, 10–60 s;
// "use Get multiple tasks" for read-your-writes); shared/reference/crm-apis.md § Asana.
import { defineCrmSpec, ticketsOnlyCapabilities } from '../spec';
import type { TicketPriority, TicketStatus } from '../../model/enums';

/** The last line of a task's notes and of a comment: Liaison's idempotency key (tasks.ts, stories.ts). */
export const MARKER_PREFIX = 'Liaison-Key: ';

/** Liaison's 紧急程度 → the configField naming the enum option of the chosen priority field. */
export const PRIORITY_FIELDS: Record<TicketPriority, { key: string; default: string }> = {
  低: { key: 'priorityLow', default: 'Low' },
  中: { key: 'priorityMedium', default: 'Medium' },
  高: { key: 'priorityHigh', default: 'High' },
  紧急: { key: 'priorityUrgent', default: 'High' },
};

/** Liaison's ticket statuses → the configField listing the sections that mean it. */
export const SECTION_FIELDS: Record<TicketStatus, string> = {
  新建: 'sectionsNew',
  处理中: 'sectionsInProgress',
  待回复: 'sectionsWaiting',
  已解决: 'sectionsResolved',
  已关闭: 'sectionsClosed',
};

const priorityField = (p: TicketPriority) => ({
  key: PRIORITY_FIELDS[p].key,
  label: { zh_CN: `紧急程度「${p}」对应的选项`, en: `Option for 紧急程度 "${p}"` },
  help: {
    zh_CN: `紧急程度为「${p}」的工单在上面所选的优先级字段中使用的选项名称。留空则用「${PRIORITY_FIELDS[p].default}」。连接并选择优先级字段后可从它的选项中选择。`,
    en: `The option of the priority field above for tickets whose 紧急程度 is "${p}". Empty: "${PRIORITY_FIELDS[p].default}". Once the priority field is chosen, pick from its options.`,
  },
  secret: false,
  type: 'text' as const,
  required: false,
  remoteChoices: true,
  placeholder: PRIORITY_FIELDS[p].default,
});

const sectionField = (s: TicketStatus) => ({
  key: SECTION_FIELDS[s],
  label: { zh_CN: `表示「${s}」的分组`, en: `Sections meaning "${s}"` },
  help: {
    zh_CN: `项目中哪些分组（section，看板的列）表示工单状态「${s}」：分组名称，多个用逗号分隔。连接后可从项目的分组中选择。都不填时：已完成的任务为「已解决」，未完成的有负责人为「处理中」，无负责人为「新建」。`,
    en: `Which sections (board columns) of the project mean ticket status "${s}": section names, comma-separated. Once connected, pick from the project's sections. None set anywhere: a completed task is 已解决, an incomplete one 处理中 when assigned, else 新建.`,
  },
  secret: false,
  type: 'text' as const,
  required: false,
  remoteChoices: true,
});

export const asanaSpec = defineCrmSpec({
  id: 'asana',
  names: { zh_CN: 'Asana', en: 'Asana' },
  docsUrl: 'https://developers.asana.com/docs/personal-access-token',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'token',
        label: { zh_CN: '个人访问令牌 (PAT)', en: 'Personal access token' },
        help: {
          zh_CN:
            '1. 登录 Asana，打开开发者控制台 https://app.asana.com/0/my-apps（也可以点右上角头像 →「设置」→「应用」→「查看开发者控制台」）；2. 在「个人访问令牌」(Personal access tokens) 处点「创建新令牌」(Create new token)；3. 名称填 Liaison，勾选同意 Asana API 条款，点「创建令牌」；4. 点「复制」并粘贴到这里。令牌只显示一次；它拥有你账户在 Asana 中的全部权限，只保存在本机扩展的后台，只发送到 app.asana.com。任务和评论以你的名义创建，你需要是所选项目的成员。若组织禁止个人令牌，请让管理员开放或改用服务账号令牌（企业版）。',
          en:
            '1. Signed in to Asana, open the developer console at https://app.asana.com/0/my-apps (or your profile photo → Settings → Apps → View developer console); 2. under Personal access tokens click Create new token; 3. name it Liaison, agree to the Asana API terms and click Create token; 4. click Copy and paste it here. The token is shown once; it can do everything your account can in Asana, stays in the extension background on this computer and is sent only to app.asana.com. Tasks and comments are created as you, and you must be a member of the chosen project. If your organisation disallows personal tokens, ask an admin, or use a service account token (Enterprise).',
        },
        secret: true,
        type: 'password',
        required: true,
      },
    ],
  },
  configFields: [
    {
      key: 'workspaceGid',
      label: { zh_CN: 'Asana 工作区', en: 'Asana workspace' },
      help: {
        zh_CN: '工单所在的工作区或组织。连接后按名称选择（值是它的 gid，一串数字）。',
        en: 'The workspace or organisation tickets go to. Once connected, pick it by name (the value is its gid, a number).',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
    },
    {
      key: 'projectGid',
      label: { zh_CN: 'Asana 项目', en: 'Asana project' },
      help: {
        zh_CN: '工单作为任务创建在哪个项目里。选定工作区后按名称选择（值是项目的 gid：打开项目时地址栏 /project/ 后的数字）。',
        en: 'The project tickets are created in as tasks. Once the workspace is chosen, pick it by name (the value is its gid: the number after /project/ in the address bar).',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
    },
    sectionField('新建'),
    sectionField('处理中'),
    sectionField('待回复'),
    sectionField('已解决'),
    sectionField('已关闭'),
    {
      key: 'priorityFieldGid',
      label: { zh_CN: '优先级字段', en: 'Priority field' },
      help: {
        zh_CN: 'Asana 没有内置的优先级：若项目有一个单选自定义字段（如 Priority / 优先级，自定义字段需要付费版），在这里选择它，紧急程度就写入这个字段。留空则只写在任务描述里。',
        en: 'Asana has no built-in priority: if the project has a single-select custom field (Priority, 优先级; custom fields need a paid plan), choose it here and 紧急程度 is written to it. Empty: written in the task notes only.',
      },
      secret: false,
      type: 'text',
      required: false,
      remoteChoices: true,
    },
    priorityField('低'),
    priorityField('中'),
    priorityField('高'),
    priorityField('紧急'),
    {
      key: 'categoryFieldGid',
      label: { zh_CN: '分类字段', en: 'Category field' },
      help: {
        zh_CN: '可选：项目中一个单选自定义字段，其选项名称与 Liaison 的工单分类相同（售后、技术支持、客户服务、产品反馈），工单的分类就写入这个字段。留空则分类只写在任务描述里。',
        en: 'Optional: a single-select custom field of the project whose options are named like Liaison’s ticket categories (售后, 技术支持, 客户服务, 产品反馈); the ticket’s category is written to it. Empty: the category is in the task notes only.',
      },
      secret: false,
      type: 'text',
      required: false,
      remoteChoices: true,
    },
  ],
  // Asana's API host only.
  hostPermissions: ['https://app.asana.com/*'],
  // No customers, follow-ups on customers, deals or tasks: those methods throw 'unsupported'.
  // A task; its state read back (GET /tasks/{gid}); follow-ups as comments (stories).
  capabilities: ticketsOnlyCapabilities({ zh_CN: 'Asana 任务', en: 'Asana task' }),
  // Asana takes no idempotency key; Task.external is OAuth-only and search is premium-only and
  // eventually consistent. The key rides as the last line of the task's notes and is looked up in
  // the project's recently modified tasks (GET /tasks, strongly consistent), again after an unknown
  // outcome; comments carry it too and are looked up in the task's stories.
  idempotency: 'lookup',
  // "Rate limits": 150 requests a minute per token on a free domain (1,500 on a paid one). The
  // plan is not visible to a PAT, so Liaison paces for the free figure (2.4/s after a bucket of 5:
  // at most 149 in any minute) and obeys Retry-After on a 429. Writes to Asana are serialised so
  // comments keep their order.
  rateLimit: { requestsPerSecond: 2.4, burst: 5, concurrentWrites: 1 },
  defaultMapping: { customer: {} },
});
