// HubSpot CRM (contacts, notes, tasks, deals) through a private app access token: declared data
// only (UI-safe). Facts: shared/reference/crm-apis.md § HubSpot CRM v3 and reliability-security.md
// § A (burst per 10 s, daily quota, X-HubSpot-RateLimit-* headers, retries stop at 75 % of the
// daily quota). Operations live beside this file and are imported by the background only.
import { defineCrmSpec } from '../spec';

export const HUBSPOT_API = 'https://api.hubapi.com';

/** Custom contact/deal properties Liaison creates (prepare): the upsert key and 客户编号. */
export const LIAISON_ID_PROPERTY = 'liaison_id';
export const LIAISON_CODE_PROPERTY = 'liaison_code';

/** Scopes the adapter needs; verify() names the missing ones. */
export const REQUIRED_SCOPES = ['crm.objects.contacts.read', 'crm.objects.contacts.write'] as const;
export const RECOMMENDED_SCOPES = [
  ...REQUIRED_SCOPES,
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.companies.read',
  'crm.schemas.contacts.write',
  'crm.schemas.deals.write',
  // Names the authors of notes and deals read back (otherwise shown as owner ids).
  'crm.objects.owners.read',
] as const;

export const hubspotSpec = defineCrmSpec({
  id: 'hubspot',
  names: { zh_CN: 'HubSpot', en: 'HubSpot' },
  docsUrl: 'https://developers.hubspot.com/docs/api/private-apps',
  auth: {
    kind: 'token',
    fields: [
      {
        key: 'token',
        label: { zh_CN: '私有应用访问令牌', en: 'Private app access token' },
        help: {
          zh_CN:
            '1. 登录 HubSpot，点右上角「设置」（齿轮）→「集成」→「私有应用」；2. 点「创建私有应用」，填写名称（如 Liaison）；3. 在「范围」中勾选 crm.objects.contacts.read、crm.objects.contacts.write、crm.objects.deals.read、crm.objects.deals.write、crm.objects.companies.read（备注和任务包含在联系人范围内），以及 crm.schemas.contacts.write、crm.schemas.deals.write（用于一键创建 liaison_id / liaison_code 自定义属性）和 crm.objects.owners.read（读回同事的备注时显示作者姓名）；4. 点「创建应用」并确认；5. 在「访问令牌」处点「显示令牌」→「复制」，粘贴到这里（以 pat- 开头）。令牌只保存在本机扩展的后台，不会发送给网页或我们的服务器。',
          en:
            '1. Sign in to HubSpot and open Settings (the gear, top right) → Integrations → Private Apps; 2. click "Create a private app" and give it a name (e.g. Liaison); 3. under "Scopes" select crm.objects.contacts.read, crm.objects.contacts.write, crm.objects.deals.read, crm.objects.deals.write, crm.objects.companies.read (notes and tasks are covered by the contacts scopes), plus crm.schemas.contacts.write and crm.schemas.deals.write (to create the liaison_id / liaison_code custom properties in one click) and crm.objects.owners.read (to show the author of a colleague’s note); 4. click "Create app" and confirm; 5. under "Access token" click "Show token" → "Copy" and paste it here (it starts with pat-). The token stays in the extension background on this computer and is never sent to web pages or to us.',
        },
        secret: true,
        type: 'password',
        required: true,
        placeholder: 'pat-na1-…',
      },
    ],
  },
  configFields: [
    {
      key: 'ticket_pipeline',
      label: { zh_CN: '工单管道编号', en: 'Ticket pipeline id' },
      help: {
        zh_CN: '从聊天创建的工单放入的管道编号，默认 0（支持管道）。在 HubSpot「设置 → 对象 → 工单 → 管道」中查看。创建和读取工单需要私有应用勾选 tickets 范围。',
        en: 'The pipeline id tickets created from a chat go into; default 0 (the support pipeline). See HubSpot Settings → Objects → Tickets → Pipelines. Creating and reading tickets needs the tickets scope on the private app.',
      },
      secret: false,
      type: 'text',
      required: false,
      placeholder: '0',
    },
    {
      key: 'ticket_stage',
      label: { zh_CN: '工单初始阶段编号', en: 'Ticket start stage id' },
      help: {
        zh_CN: '新工单的阶段编号；留空则用该管道的第一个未关闭阶段（默认管道中为「新建」）。',
        en: 'The stage id new tickets start in; leave empty for the pipeline\'s first open stage ("New" in the default pipeline).',
      },
      secret: false,
      type: 'text',
      required: false,
      placeholder: '1',
    },
  ],
  hostPermissions: ['https://api.hubapi.com/*'],
  capabilities: {
    // Read back: contacts by id (GET), notes and deals through the contact's associations, changes
    // by CRM search on lastmodifieddate (GTE, epoch ms). No conditional update: PATCH
    // /crm/v3/objects/contacts/{id} takes no If-Match, ETag or version (the contacts spec lists
    // only contactId and idProperty), so a concurrent edit cannot be refused by HubSpot.
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', conditionalUpdate: false, changesLagMs: 60_000 },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    // Notes (note→contact association 202).
    followUps: 'native',
    // Deals (deal→contact association 3).
    deals: 'native',
    // Tasks (task→contact association 204), hs_timestamp = due time.
    tasks: 'native',
    // batch/upsert takes at most 100 inputs.
    batchCreate: 100,
    // Tickets (ticket.ts): in a pipeline (settings), associated with the contact (default type,
    // ticket→contact 16); status from the stage's ticketState; follow-ups as notes (note→ticket 228).
    tickets: { noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: true, needsCustomer: true },
  },
  // Contacts (and deals) are written with batch/upsert keyed by the custom unique property
  // liaison_id = the Liaison record id, so a retried create finds the first attempt's record.
  idempotency: 'upsert',
  // Free/Starter: 100 requests per rolling 10 s per app; 9/s with a bucket of 10 keeps any 10 s
  // window ≤ 100 (10 + 9 × 10). Search has its own 4/s limit, paced by a second limiter
  // (client.ts). Daily quota 250 000 (Free/Starter; Pro 650 000, Enterprise 1 000 000): the
  // adapter reads the real figure from X-HubSpot-RateLimit-Daily.
  rateLimit: { requestsPerSecond: 9, burst: 10, dailyQuota: 250_000 },
  defaultMapping: {
    customer: {
      // Single-name strategy: the whole name goes to firstname (Chinese names don't split reliably).
      name: 'firstname',
      phones: 'phone',
      email: 'email',
      company: 'company',
      stage: 'hs_lead_status',
      code: LIAISON_CODE_PROPERTY,
    },
    followUp: { content: 'hs_note_body', at: 'hs_timestamp' },
    deal: { product: 'dealname', amount: 'amount', status: 'dealstage', closedAt: 'closedate' },
  },
  setup: {
    label: { zh_CN: '创建 Liaison 自定义属性', en: 'Create the Liaison custom properties' },
    help: {
      zh_CN: '在 HubSpot 联系人中创建唯一属性 liaison_id（防止重试时重复创建）和 liaison_code（客户编号），在交易中创建 liaison_id；已存在则跳过。需要 crm.schemas.contacts.write 和 crm.schemas.deals.write 范围。',
      en: 'Creates the unique contact property liaison_id (so a retried create never duplicates) and liaison_code (客户编号), and liaison_id on deals; existing ones are kept. Needs the crm.schemas.contacts.write and crm.schemas.deals.write scopes.',
    },
  },
});
