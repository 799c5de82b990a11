// Zendesk Support as a help desk (issue 17): end users as customers, tickets with their status
// read back, private comments as follow-ups on a ticket. Declared data only (UI-safe).
// Facts, checked 2026-12-06:
// - Zendesk's own OpenAPI file (shared/specs/zendesk.yaml = developer.zendesk.com/zendesk/oas.yaml,
//   third-party copy of 2025-05; SOURCES.md): /api/v2/tickets, /tickets/{id}, /tickets/{id}/comments,
//   /users/create_or_update, /users/{id}, /users/search, /users/me, /ticket_fields, /user_fields;
//   Basic auth; priority urgent/high/normal/low; type problem/incident/question/task; status
//   new/open/pending/hold/solved/closed.
// - developer.zendesk.com/api-reference/introduction/security-and-auth ("API token": Basic with
//   `{email}/token:{api_token}`; tokens are made in Admin Center → Apps and integrations → APIs →
//   Zendesk API, and API token access must be enabled there).
// - developer.zendesk.com/api-reference/ticketing/introduction/#idempotency (quoted by the
//   maintained cloudbees-oss/zendesk-java-client IdempotencyUtil and by other public clients):
//   `Idempotency-Key` on ticket creation; a replay answers the cached response with
//   `x-idempotency-lookup: hit` (first use `miss`); the same key with another body is 400
//   IdempotentRequestError "Request parameters don't match the given idempotency key"; "Keys
//   expire after two hours".
// - developer.zendesk.com/api-reference/introduction/rate-limits (requests per minute by plan:
//   Team 200, Growth and Professional 400, Enterprise 700, Enterprise Plus 2500; 429 with
//   Retry-After in seconds; X-Rate-Limit / X-Rate-Limit-Remaining on replies; "Update Ticket"
//   30 updates per 10 minutes per user per ticket).
// Operations live beside this file (background only).
import type { TicketCategory, TicketPriority, TicketStatus } from '../../model/enums';
import { defineCrmSpec } from '../spec';

/** Zendesk's ticket types; which one a Liaison category becomes is a connection setting (config.ts). */
export const ZENDESK_TICKET_TYPES = ['problem', 'incident', 'question', 'task'] as const;
export type ZendeskTicketType = (typeof ZENDESK_TICKET_TYPES)[number];

export const DEFAULT_TICKET_TYPES: Record<TicketCategory, ZendeskTicketType> = {
  售后: 'incident', // a complaint, repair or return: something went wrong for this customer
  技术支持: 'problem',
  客户服务: 'question',
  产品反馈: 'question',
};

export const ZENDESK_PRIORITIES: Record<TicketPriority, 'low' | 'normal' | 'high' | 'urgent'> = { 低: 'low', 中: 'normal', 高: 'high', 紧急: 'urgent' };

/** Zendesk's statuses (custom statuses report their category here) onto Liaison's. */
export const ZENDESK_STATUSES: Record<string, TicketStatus> = { new: '新建', open: '处理中', pending: '待回复', hold: '待回复', solved: '已解决', closed: '已关闭' };

/** Tags Liaison puts on its tickets: Zendesk tags are lowercase words, so categories get ASCII names. */
export const LIAISON_TAG = 'liaison';
export const CATEGORY_TAGS: Record<TicketCategory, string> = { 售后: 'liaison_after_sales', 技术支持: 'liaison_tech_support', 客户服务: 'liaison_customer_service', 产品反馈: 'liaison_product_feedback' };

export const zendeskSpec = defineCrmSpec({
  id: 'zendesk',
  names: { zh_CN: 'Zendesk Support', en: 'Zendesk Support' },
  docsUrl: 'https://developer.zendesk.com/api-reference/introduction/security-and-auth/',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'subdomain',
        label: { zh_CN: 'Zendesk 子域名', en: 'Zendesk subdomain' },
        help: {
          zh_CN: '你的 Zendesk 地址中 .zendesk.com 前面的部分：地址是 https://acme.zendesk.com 时填 acme（只填这一段，不要带 https:// 或 .zendesk.com）。只会为这个地址申请访问权限。',
          en: 'The part of your Zendesk address before .zendesk.com: for https://acme.zendesk.com enter acme (that part only, without https:// or .zendesk.com). Liaison asks for access to that address only.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: 'acme',
      },
      {
        key: 'email',
        label: { zh_CN: '客服（Agent）邮箱', en: 'Agent email' },
        help: {
          zh_CN: '你登录 Zendesk 用的邮箱，必须是客服（Agent）或管理员账户。Liaison 以这个账户的身份创建工单、写内部备注，工单历史中会显示这个人。',
          en: 'The email you sign in to Zendesk with; it must be an agent or admin account. Liaison creates tickets and internal notes as this user, and ticket history shows them.',
        },
        secret: false,
        type: 'email',
        required: true,
        placeholder: 'agent@example.com',
      },
      {
        key: 'apiToken',
        label: { zh_CN: 'API 令牌', en: 'API token' },
        help: {
          zh_CN:
            '需要 Zendesk 管理员操作：1. 打开管理中心（Admin Center，左侧齿轮图标）；2. 点「应用程序和集成」(Apps and integrations) →「API」→「Zendesk API」；3. 在「设置」中打开「令牌访问」(Token access) 并保存；4. 点「添加 API 令牌」(Add API token)，描述填 Liaison，点「复制」；5. 粘贴到这里（令牌只显示这一次）。令牌以上面填写的邮箱对应的用户身份工作；删除令牌后立即失效。令牌只保存在本机扩展的后台，不会发送给网页或我们的服务器。',
          en:
            'An admin does this: 1. open Admin Center (the gear icon); 2. Apps and integrations → APIs → Zendesk API; 3. under Settings turn on Token access and save; 4. click Add API token, describe it as Liaison and click Copy; 5. paste it here (it is shown only once). The token acts as the user whose email you entered above; deleting it stops it at once. The token stays in the extension background on this computer and is never sent to web pages or to us.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
    ],
  },
  hostPermissions: ['https://{{subdomain}}.zendesk.com/*'],
  capabilities: {
    // Read back: one end user (GET /api/v2/users/{id}, updated_at as the marker). No follow-up
    // history on a user (Zendesk keeps none), no deals, no changes filter used (the incremental
    // user export needs admin rights), no conditional update (PUT /users/{id} takes no version).
    read: { getCustomer: true, followUps: false, deals: false, changes: 'none', conditionalUpdate: false },
    createCustomer: true, // POST /api/v2/users/create_or_update, external_id = the Liaison customer id
    updateCustomer: true, // PUT /api/v2/users/{id}
    findCustomers: true, // GET /api/v2/users/search
    // Zendesk end users have no notes or activities of their own (only a free `notes` text field
    // on the user, which a follow-up would overwrite): follow-ups go on tickets as private
    // comments (addTicketComment), not on the customer.
    followUps: 'none',
    deals: 'none', // a help desk: no sales objects
    tasks: 'none', // a ticket of type task exists, but reminders belong to the CRM that owns the customer
    tickets: { noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: true, needsCustomer: false },
  },
  // Tickets: Zendesk's own Idempotency-Key (two hours), and the ticket's external_id carries the
  // Liaison key for the lookup a later retry makes. Users: create_or_update on external_id.
  idempotency: 'key',
  // Team plan, the smallest: 200 requests a minute per account. 3 a second with a bucket of 5
  // stays under it with room for the agent's own use of Zendesk.
  rateLimit: { requestsPerSecond: 3, burst: 5 },
  defaultMapping: {
    customer: { name: 'name', email: 'email', phones: 'phone', notes: 'notes', tags: 'tags' },
  },
});
