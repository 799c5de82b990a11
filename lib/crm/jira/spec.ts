// Jira Cloud as a work tracker (issue 17): a ticket becomes a Jira issue in a chosen project and
// issue type, a follow-up on it a comment, and its status is read back. Declared data only
// (UI-safe). Jira holds no customers: the customer travels in the description and a label.
// Facts (read 2026-12-06): Jira Cloud platform REST API v3 OpenAPI file (shared/specs/jira.json,
// = dac-static.atlassian.com/cloud/jira/platform/swagger-v3.v3.json, 1001.0.0-SNAPSHOT; SOURCES.md);
// developer.atlassian.com/cloud/jira/platform: "Basic auth for REST APIs" (email + API token,
// `Authorization: Basic base64(email:token)`), "Rate limiting" (last updated Mar 5, 2026: API-token
// traffic keeps the per-second burst limits, figures not published; 429 with Retry-After,
// X-RateLimit-Limit/-Remaining/-Reset (ISO 8601), RateLimit-Reason; per-issue write limits),
// "Search and reconcile" (Feb 3, 2026: /search/jql is eventually consistent), "Atlassian Document
// Format"; support.atlassian.com "Manage API tokens for your Atlassian account";
// shared/reference/crm-apis.md § Jira Cloud.
import { defineCrmSpec, ticketsOnlyCapabilities } from '../spec';
import type { TicketPriority } from '../../model/enums';

/** The label prefix that carries Liaison's idempotency key on an issue (see issues.ts for why a label). */
export const LIAISON_LABEL_PREFIX = 'liaison-';

/** Liaison's 紧急程度 → the configField holding its Jira priority, and the default (Jira's standard scheme). */
export const PRIORITY_FIELDS: Record<TicketPriority, { key: string; default: string }> = {
  低: { key: 'priorityLow', default: 'Low' },
  中: { key: 'priorityMedium', default: 'Medium' },
  高: { key: 'priorityHigh', default: 'High' },
  紧急: { key: 'priorityUrgent', default: 'Highest' },
};

const priorityField = (p: TicketPriority) => ({
  key: PRIORITY_FIELDS[p].key,
  label: { zh_CN: `紧急程度「${p}」对应的 Jira 优先级`, en: `Jira priority for 紧急程度 "${p}"` },
  help: {
    zh_CN: `紧急程度为「${p}」的工单在 Jira 中使用的优先级名称。留空则用 Jira 默认方案中的「${PRIORITY_FIELDS[p].default}」。连接后可从项目的优先级列表中选择；项目的创建界面没有「优先级」字段时不设置优先级。`,
    en: `The Jira priority name for tickets whose 紧急程度 is "${p}". Empty: "${PRIORITY_FIELDS[p].default}" from Jira's default scheme. Once connected, pick from the project's priorities; if the project's create screen has no Priority field, none is set.`,
  },
  secret: false,
  type: 'text' as const,
  required: false,
  remoteChoices: true,
  placeholder: PRIORITY_FIELDS[p].default,
});

export const jiraSpec = defineCrmSpec({
  id: 'jira',
  names: { zh_CN: 'Jira', en: 'Jira' },
  docsUrl: 'https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'site',
        label: { zh_CN: 'Jira 站点地址', en: 'Jira site URL' },
        help: {
          zh_CN: '你的 Jira Cloud 站点地址，形如 https://你的站点.atlassian.net（登录 Jira 后浏览器地址栏开头的部分）。只会为这个站点申请访问权限。',
          en: 'Your Jira Cloud site, like https://your-site.atlassian.net (the start of the address bar once signed in to Jira). Liaison asks for access to this site only.',
        },
        secret: false,
        type: 'url',
        required: true,
        placeholder: 'https://your-site.atlassian.net',
      },
      {
        key: 'email',
        label: { zh_CN: 'Atlassian 账户邮箱', en: 'Atlassian account email' },
        help: {
          zh_CN: '创建 API 令牌的那个 Atlassian 账户的登录邮箱。工单以这个账户的名义创建，它需要在所选项目中有「创建问题」和「添加评论」权限。',
          en: 'The email you sign in to Atlassian with, for the account that created the API token. Issues are created as this account; it needs the Create issues and Add comments permissions in the chosen project.',
        },
        secret: false,
        type: 'email',
        required: true,
        placeholder: 'you@example.com',
      },
      {
        key: 'token',
        label: { zh_CN: 'API 令牌', en: 'API token' },
        help: {
          zh_CN:
            '1. 用上面的邮箱登录，打开 https://id.atlassian.com/manage-profile/security/api-tokens；2. 点「创建 API 令牌」(Create API token)，名称填 Liaison，选择有效期（最长一年，到期后需要在这里换上新令牌）；3. 点「创建」，再点「复制」；4. 粘贴到这里。令牌只显示一次；它拥有你账户在 Jira 中的全部权限，只保存在本机扩展的后台，只发送到上面的 Jira 站点。不要使用「带作用域的令牌」(API token with scopes)，它需要通过 api.atlassian.com 访问。',
          en:
            '1. Signed in with the email above, open https://id.atlassian.com/manage-profile/security/api-tokens; 2. click Create API token, name it Liaison and pick an expiry (at most a year; then paste a new one here); 3. click Create, then Copy; 4. paste it here. The token is shown once; it can do everything your account can in Jira, stays in the extension background on this computer and is sent only to the Jira site above. Do not use an "API token with scopes": those work through api.atlassian.com only.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
    ],
  },
  configFields: [
    {
      key: 'projectKey',
      label: { zh_CN: 'Jira 项目', en: 'Jira project' },
      help: {
        zh_CN: '工单创建在哪个项目里：项目的键（问题编号的前缀，如 SUP-12 的 SUP）。连接后可按名称选择。',
        en: 'The project tickets are created in: its key (the prefix of its issue numbers, SUP in SUP-12). Once connected, pick it by name.',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
      placeholder: 'SUP',
    },
    {
      key: 'issueTypeId',
      label: { zh_CN: '问题类型', en: 'Issue type' },
      help: {
        zh_CN: '工单使用的问题类型（如「任务」「Bug」或服务项目的「请求」），连接并选定项目后按名称选择。该类型的创建界面必须包含「标签」(Labels) 字段：Liaison 用标签防止重试时重复创建。',
        en: 'The issue type tickets use (Task, Bug, a service project’s request type…), picked by name once the project is chosen. Its create screen must have the Labels field: Liaison uses a label so a retry never creates a second issue.',
      },
      secret: false,
      type: 'text',
      required: true,
      remoteChoices: true,
    },
    priorityField('低'),
    priorityField('中'),
    priorityField('高'),
    priorityField('紧急'),
  ],
  // The site the user names (https://<site>.atlassian.net): nothing else is called.
  hostPermissions: [{ fromField: 'site' }],
  // No customers, follow-ups on customers, deals or tasks: those methods throw 'unsupported'.
  // An issue; its status read back (GET /rest/api/3/issue/{id}); follow-ups as comments.
  capabilities: ticketsOnlyCapabilities({ zh_CN: 'Jira 问题', en: 'Jira issue' }),
  // Jira takes no idempotency key and has no upsert: the key rides on the issue as a label
  // (liaison-<key>) and a create first searches for it (JQL labels = …), again after an unknown
  // outcome; comments carry it as a marker line and are looked up in the comments.
  idempotency: 'lookup',
  // Atlassian publishes no figure for API-token burst limits ("Rate limiting", Mar 2026). Its
  // own worked example budgets 10 calls a second; Liaison stays well under it (5/s, bucket 5) and
  // obeys Retry-After / X-RateLimit-Reset on a 429. Writes to one issue are serialised.
  rateLimit: { requestsPerSecond: 5, burst: 5, concurrentWrites: 1 },
  // Jira keeps no customer records, so nothing maps (the ticket's customer is written as text).
  defaultMapping: { customer: {} },
});
