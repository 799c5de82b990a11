// Linear as a work tracker (issue 17): a ticket becomes a Linear issue in a chosen team, a
// follow-up on it a comment, and its status (the workflow state) is read back. Declared
// data only (UI-safe). Linear holds no customers for Liaison: the customer travels in the issue's
// description. Facts (read 2026-12-06): Linear's GraphQL schema (shared/specs/linear.graphql =
// linear/linear @ d044ca658728 packages/sdk/src/schema.graphql, SOURCES.md): IssueCreateInput
// {teamId: String!, id "in UUID v4 format", title, description (markdown), priority "0 = No
// priority, 1 = Urgent, 2 = High, 3 = Medium, 4 = Low", dueDate: TimelessDate, labelIds,
// assigneeId…}, CommentCreateInput {id, issueId, body}; linear.app/developers "Authentication"
// (personal API keys: `Authorization: <API_KEY>`, no Bearer; keys are made under Settings →
// Account → Security & access) and "Rate limiting" (leaky bucket, per user; X-RateLimit-Requests-*,
// X-RateLimit-Complexity-*, X-Complexity headers; RATELIMITED); shared/reference/crm-apis.md § Linear.
import { defineCrmSpec, ticketsOnlyCapabilities } from '../spec';
import type { TicketPriority } from '../../model/enums';

/** Liaison's 紧急程度 → the configField holding its Linear priority (0–4), and the default. */
export const PRIORITY_FIELDS: Record<TicketPriority, { key: string; default: number }> = {
  低: { key: 'priorityLow', default: 4 },
  中: { key: 'priorityMedium', default: 3 },
  高: { key: 'priorityHigh', default: 2 },
  紧急: { key: 'priorityUrgent', default: 1 },
};
/** Linear's own priority words (issuePriorityValues), for help text and the defaults. */
export const LINEAR_PRIORITY_LABELS: Record<number, string> = { 0: 'No priority', 1: 'Urgent', 2: 'High', 3: 'Medium', 4: 'Low' };

const priorityField = (p: TicketPriority) => ({
  key: PRIORITY_FIELDS[p].key,
  label: { zh_CN: `紧急程度「${p}」对应的 Linear 优先级`, en: `Linear priority for 紧急程度 "${p}"` },
  help: {
    zh_CN: `紧急程度为「${p}」的工单在 Linear 中的优先级（0 无优先级、1 Urgent 紧急、2 High 高、3 Medium 中、4 Low 低）。留空则用 ${PRIORITY_FIELDS[p].default}（${LINEAR_PRIORITY_LABELS[PRIORITY_FIELDS[p].default]}）。连接后可按名称选择。`,
    en: `The Linear priority for tickets whose 紧急程度 is "${p}" (0 No priority, 1 Urgent, 2 High, 3 Medium, 4 Low). Empty: ${PRIORITY_FIELDS[p].default} (${LINEAR_PRIORITY_LABELS[PRIORITY_FIELDS[p].default]}). Once connected, pick it by name.`,
  },
  secret: false,
  type: 'text' as const,
  required: false,
  remoteChoices: true,
  placeholder: String(PRIORITY_FIELDS[p].default),
});

export const linearSpec = defineCrmSpec({
  id: 'linear',
  names: { zh_CN: 'Linear', en: 'Linear' },
  docsUrl: 'https://linear.app/developers/graphql',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'apiKey',
        label: { zh_CN: 'Linear 个人 API 密钥', en: 'Linear personal API key' },
        help: {
          zh_CN:
            '1. 登录 Linear，打开 https://linear.app/settings/account/security（设置 → 账户 → 安全与访问 Security & access）；2. 在「Personal API keys」下点「New API key」，名称填 Liaison；3. 权限选「Full access」，或至少勾选 Read、Create issues、Create comments；团队访问选「All teams」或包含接收工单的团队；4. 点「Create」，复制以 lin_api_ 开头的密钥并粘贴到这里。密钥只显示一次；工单和评论以你的名义创建；密钥只保存在本机扩展的后台，只发送到 api.linear.app。工作区管理员可能关闭了成员创建 API 密钥的权限，此时请联系管理员。',
          en:
            '1. Signed in to Linear, open https://linear.app/settings/account/security (Settings → Account → Security & access); 2. under Personal API keys click New API key and name it Liaison; 3. choose Full access, or at least Read, Create issues and Create comments; for team access choose All teams or include the team tickets go to; 4. click Create, copy the key (it starts with lin_api_) and paste it here. The key is shown once; issues and comments are created as you; it stays in the extension background on this computer and is sent only to api.linear.app. If the option is missing, a workspace admin has turned off API keys for members: ask them.',
        },
        secret: true,
        type: 'password',
        required: true,
        placeholder: 'lin_api_…',
      },
    ],
  },
  configFields: [
    {
      key: 'teamId',
      label: { zh_CN: 'Linear 团队', en: 'Linear team' },
      help: {
        zh_CN: '工单创建在哪个团队里（问题编号的前缀，如 SUP-12 的 SUP 团队）。连接后按名称选择。',
        en: 'The team tickets are created in (the prefix of its issue numbers: SUP in SUP-12). Once connected, pick it by name.',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
    },
    {
      key: 'labelId',
      label: { zh_CN: '附加标签', en: 'Extra label' },
      help: {
        zh_CN: '每个工单都加上的团队标签（例如「客户反馈」），方便在 Linear 中筛选。选定团队后按名称选择。另外，团队里有与工单分类同名的标签（售后、技术支持、客户服务、产品反馈）时，也会加上它。',
        en: 'A team label put on every ticket (for example "Customer feedback"), to filter them in Linear; picked by name once the team is chosen. A team label named like the ticket’s category (售后, 技术支持, 客户服务, 产品反馈) is added too when the team has one.',
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
  ],
  // One host for the whole API (POST https://api.linear.app/graphql).
  hostPermissions: ['https://api.linear.app/*'],
  // No customers, follow-ups on customers, deals or tasks: those methods throw 'unsupported'.
  // An issue; its workflow state read back; follow-ups as comments.
  capabilities: ticketsOnlyCapabilities({ zh_CN: 'Linear 问题', en: 'Linear issue' }),
  // issueCreate and commentCreate take the object's id ("in UUID v4 format", linear.graphql):
  // Liaison derives it from the outbox key, so a retry names the same issue and cannot make a
  // second one; it looks the id up before creating and again after an unknown outcome.
  idempotency: 'key',
  // "Rate limiting": a leaky bucket per user refilled at LIMIT / hour (the published API-key figure
  // has moved 1,500 → 2,500 → 5,000 requests an hour; crm-apis.md), plus a complexity budget. 1.3
  // requests a second is 4,680 an hour, under the current figure; the headers and RATELIMITED
  // errors hold the connection back when a budget runs low (client.ts).
  rateLimit: { requestsPerSecond: 1.3, burst: 30 },
  // Linear keeps no customer records, so nothing maps (the ticket's customer is written as text).
  defaultMapping: { customer: {} },
});
