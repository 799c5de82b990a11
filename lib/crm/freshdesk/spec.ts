// Freshdesk as a help desk (issue 17): a ticket in the chosen group, its requester a Freshdesk
// contact found or created by email/phone, a follow-up on it a private note, its status read back.
// Declared data only (UI-safe). Liaison keeps no customers, deals or tasks here.
// Facts (read 2026-12-06 through the search tool; Freshdesk publishes no machine-readable API
// description: shared/specs/SOURCES.md "Freshdesk: None found"):
// - developers.freshdesk.com/api (v2): HTTPS only, JSON only, "Works only via Freshdesk domains
//   and not via custom CNAMEs", page sizes up to 100; Basic auth with the API key as the user name
//   and any password ("X" in every example); the key is under Profile settings → "View API key"
//   (the same steps in the setup guides of docs.nexla.com, Nango and help.merge.dev, read the same day);
// - the same page, "Rate Limit": per account and per minute by plan (Growth 200, Pro 400,
//   Enterprise 700; trial accounts 50), with per-endpoint caps within that (Growth: ticket create
//   80, ticket update 80, tickets list 20, contacts list 20 a minute); "invalid requests count";
//   every reply carries X-RateLimit-Total, X-RateLimit-Remaining, X-RateLimit-Used-CurrentRequest;
//   past the limit 429 with Retry-After (seconds). Summarised the same way by apis.io's rate-limit
//   profile (sources: developers.freshdesk.com/api), which also lists newer hour-based plans;
// - ticket properties: status 2 Open, 3 Pending, 4 Resolved, 5 Closed (custom statuses from 6 on,
//   named in GET /api/v2/ticket_fields default_status choices); priority 1 Low, 2 Medium, 3 High,
//   4 Urgent; source 1 Email, 2 Portal, 3 Phone, 7 Chat, 9 Feedback widget, 10 Outbound email;
// - error codes (missing_field, invalid_value, duplicate_value, datatype_mismatch, invalid_field,
//   invalid_json, invalid_credentials, access_denied, require_feature, account_suspended…) as
//   listed on the page and mirrored by the maintained client jscarle/Freshdesk.NET
//   (Freshdesk.NET/Core/ErrorFieldCode.cs).
// Operations live beside this file (background only).
import type { TicketCategory, TicketPriority } from '../../model/enums';
import { defineCrmSpec, ticketsOnlyCapabilities } from '../spec';

/** Freshdesk's built-in statuses; a custom status has an id from 6 on. */
export const FRESHDESK_STATUSES: Record<number, string> = { 2: 'Open', 3: 'Pending', 4: 'Resolved', 5: 'Closed' };
/** Freshdesk's priorities (fixed: 1–4). */
export const FRESHDESK_PRIORITY_NAMES: Record<number, string> = { 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Urgent' };
/** Source 7: the ticket came from a chat. */
export const SOURCE_CHAT = 7;

/** Liaison's 紧急程度 → the configField holding its Freshdesk priority, and the default. */
export const PRIORITY_FIELDS: Record<TicketPriority, { key: string; default: 1 | 2 | 3 | 4 }> = {
  低: { key: 'priorityLow', default: 1 },
  中: { key: 'priorityMedium', default: 2 },
  高: { key: 'priorityHigh', default: 3 },
  紧急: { key: 'priorityUrgent', default: 4 },
};

/** Tags Liaison puts on its tickets (ASCII, at most 32 characters each: Freshdesk's tag limit). */
export const LIAISON_TAG = 'liaison';
export const CATEGORY_TAGS: Record<TicketCategory, string> = { 售后: 'liaison-after-sales', 技术支持: 'liaison-tech-support', 客户服务: 'liaison-customer-service', 产品反馈: 'liaison-product-feedback' };

const priorityField = (p: TicketPriority) => ({
  key: PRIORITY_FIELDS[p].key,
  label: { zh_CN: `紧急程度「${p}」对应的 Freshdesk 优先级`, en: `Freshdesk priority for 紧急程度 "${p}"` },
  help: {
    zh_CN: `紧急程度为「${p}」的工单在 Freshdesk 中的优先级（Low / Medium / High / Urgent）。留空则用「${FRESHDESK_PRIORITY_NAMES[PRIORITY_FIELDS[p].default]}」。连接后可按名称选择。`,
    en: `The Freshdesk priority (Low / Medium / High / Urgent) for tickets whose 紧急程度 is "${p}". Empty: ${FRESHDESK_PRIORITY_NAMES[PRIORITY_FIELDS[p].default]}. Once connected, pick it by name.`,
  },
  secret: false,
  type: 'text' as const,
  required: false,
  remoteChoices: true,
  placeholder: String(PRIORITY_FIELDS[p].default),
});

export const freshdeskSpec = defineCrmSpec({
  id: 'freshdesk',
  names: { zh_CN: 'Freshdesk', en: 'Freshdesk' },
  docsUrl: 'https://developers.freshdesk.com/api/#authentication',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'domain',
        label: { zh_CN: 'Freshdesk 域名', en: 'Freshdesk domain' },
        help: {
          zh_CN: '你的 Freshdesk 地址中 .freshdesk.com 前面的部分：地址是 https://acme.freshdesk.com 时填 acme（只填这一段，不要带 https:// 或 .freshdesk.com；自定义域名不能用于 API，请填 Freshdesk 分配的那个）。只会为这个地址申请访问权限。',
          en: 'The part of your Freshdesk address before .freshdesk.com: for https://acme.freshdesk.com enter acme (that part only, without https:// or .freshdesk.com; a custom domain does not work for the API, use the one Freshdesk gave you). Liaison asks for access to that address only.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: 'acme',
      },
      {
        key: 'apiKey',
        label: { zh_CN: 'API 密钥', en: 'API key' },
        help: {
          zh_CN:
            '1. 用客服（Agent）或管理员账户登录 Freshdesk；2. 点右上角头像 →「个人资料设置」(Profile settings)；3. 点右侧的「查看 API 密钥」(View API key)，完成验证（人机验证或邮箱验证码）；4. 复制显示的密钥并粘贴到这里。工单和内部备注以这个账户的身份创建；账户需要「创建工单」和「编辑联系人」权限。修改密码或在同一页面重置密钥后旧密钥失效。密钥只保存在本机扩展的后台，只发送到上面的 Freshdesk 地址。',
          en:
            '1. Sign in to Freshdesk as an agent or admin; 2. click your profile picture (top right) → Profile settings; 3. click View API key on the right and complete the check (captcha or emailed code); 4. copy the key and paste it here. Tickets and internal notes are created as this agent, who needs permission to create tickets and edit contacts. Changing the password or resetting the key on the same page stops the old key. The key stays in the extension background on this computer and is sent only to the Freshdesk address above.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
    ],
  },
  configFields: [
    {
      key: 'groupId',
      label: { zh_CN: '处理组', en: 'Group' },
      help: {
        zh_CN: '工单分配给哪个组（如「售后组」）。连接后按名称选择；留空则由 Freshdesk 的自动分配规则决定。',
        en: 'The group tickets are assigned to (e.g. "After-sales"). Once connected, pick it by name; empty leaves it to Freshdesk’s assignment rules.',
      },
      secret: false,
      type: 'text',
      required: false,
      remoteChoices: true,
    },
    {
      key: 'ticketType',
      label: { zh_CN: '工单类型', en: 'Ticket type' },
      help: {
        zh_CN: '工单的「类型」(Type) 字段，如 Question、Incident、Problem。连接后从 Freshdesk 的类型列表中选择；留空则不设置。Liaison 的类别（售后、技术支持…）另外作为标签写入。',
        en: 'The ticket’s Type (Question, Incident, Problem…), picked from Freshdesk’s list once connected; empty sets none. Liaison’s category (售后, 技术支持…) is written as a tag as well.',
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
  hostPermissions: ['https://{{domain}}.freshdesk.com/*'],
  // No customers, follow-ups on customers, deals or tasks for Liaison: those methods refuse.
  // (The requester contact a ticket needs is found or created inside createTicket.)
  // A ticket (POST /api/v2/tickets), its status read back (GET /api/v2/tickets/{id}), follow-ups
  // as private notes (POST /api/v2/tickets/{id}/notes).
  capabilities: ticketsOnlyCapabilities({ zh_CN: '工单', en: 'Ticket' }),
  // Freshdesk takes no idempotency key and has no external id on tickets: the key rides on the
  // ticket as a tag and a create first lists the requester's tickets for it (the list reads the
  // database, not a search index), again after an unknown outcome; notes carry a marker line and
  // are looked up among the ticket's conversations; a contact's email is unique (409
  // duplicate_value names the existing contact).
  idempotency: 'lookup',
  // The smallest paid plan (Growth) allows 200 a minute for the account, of which 20 a minute for
  // the tickets list and 20 for the contacts list (a trial 50 in all). 2 a second with a bucket of
  // 5 (120 a minute) stays under the account figure with room for the agents' own use; the list
  // caps and a trial's smaller budget are met by Freshdesk's 429, whose Retry-After holds every
  // request of the connection (http.ts), not by guessing here.
  rateLimit: { requestsPerSecond: 2, burst: 5 },
  defaultMapping: { customer: {} },
});
