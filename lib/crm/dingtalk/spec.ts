// 钉钉 DingTalk 客户管理（官方CRM）: declared data only (UI-safe). DingTalk publishes no machine-
// readable API description; facts come from its open-platform pages (open.dingtalk.com/document/
// development/…, read 2026-12-06 through a dated mirror) and the official generated SDK
// (aliyun/dingtalk-sdk @ eb93049, 2026-08-19: dingtalk/ts/src/{crm_1_0,todo_1_0,oauth2_1_0}/client.ts):
// - token: POST https://api.dingtalk.com/v1.0/oauth2/accessToken {appKey, appSecret} → {accessToken,
//   expireIn} (obtain-the-access-token-of-an-internal-app); header x-acs-dingtalk-access-token;
// - customers: /v1.0/crm/personalCustomers (GET query with queryDsl, POST create, PUT update),
//   /v1.0/crm/personalCustomers/batchQuery, /v1.0/crm/personalCustomers/objectMeta
//   (obtains-crm-individual-customers-in-batches-based-on-specified-query 2026-06-04,
//   add-crm-personal-customers 2025-10-09, obtain-the-metadata-of-individual-enterprise-customers
//   2025-12-08, inner-query-dsl-description 2026-07-20);
// - follow-ups: POST /v1.0/crm/followRecords/batch (batch-add-follow-up-record-data 2026-06-04),
//   read back with POST /v1.0/crm/targetFollowRecords/query (the SDK's FindTargetRelatedFollowRecords;
//   no page for it was found), the follow-record form read with
//   oapi /topapi/crm/objectmeta/followrecord/describe;
// - 待办: POST /v1.0/todo/users/{unionId}/tasks, GET …/tasks/sources/{sourceId} (todo_1_0 SDK);
// - limits: how-to-process-api-throttling-on-the-dingtalk-server (2026-05-09): 20 calls/s per app
//   per API (Forbidden.AccessDenied.QpsLimitForAppkeyAndApi, old 90018), a global per-API limit
//   (QpsLimitForApi, old 90002), both "sleep 1 s"; standard-edition orgs 5,000 calls a month
//   (ApiCountLimitForOrg, old 90020); per IP 10,000 per 20 s.
// The CRM app (客户管理) must be enabled in the organisation: otherwise every CRM call answers
// crmAppNotExisted and "test connection" says so.
import { defineCrmSpec } from '../spec';

export const DINGTALK_API_ORIGIN = 'https://api.dingtalk.com';
export const DINGTALK_OAPI_ORIGIN = 'https://oapi.dingtalk.com';
export const RELATION_TYPES = ['crm_customer_personal', 'crm_customer'] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

export const dingtalkSpec = defineCrmSpec({
  id: 'dingtalk',
  names: { zh_CN: '钉钉客户管理', en: 'DingTalk CRM' },
  docsUrl: 'https://open.dingtalk.com/document/development/add-crm-personal-customers',
  auth: {
    kind: 'app-credentials',
    fields: [
      {
        key: 'appKey',
        label: { zh_CN: 'Client ID（AppKey）', en: 'Client ID (AppKey)' },
        help: {
          zh_CN:
            '用组织管理员账号创建一个企业内部应用：1. 打开钉钉开发者后台 open-dev.dingtalk.com，右上角选择你的组织；2. 应用开发 → 企业内部应用 → 创建应用（名称如 Liaison）；3. 在「权限管理」中搜索并申请：获取CRM主数据的接口访问权限（qyapi_crm_maindata_read）、维护CRM主数据的接口写入权限（qyapi_crm_maindata_write）、待办应用中待办写权限与读权限、成员信息读权限（qyapi_get_member）；要发工作通知再加「企业内机器人/工作通知」相关的消息通知权限；4. 在「版本管理与发布」中发布应用，可见范围包含你自己；5. 在「凭证与基础信息」页复制 Client ID（原 AppKey）填到这里。组织须已开通「客户管理」应用（工作台 → 客户管理）。应用的「服务器出口IP」白名单请留空：Liaison 从你自己的电脑调用钉钉。',
          en:
            'As an organisation admin, create an internal app: 1. open the developer console open-dev.dingtalk.com and pick your organisation (top right); 2. App development → Internal apps → Create app (name it e.g. Liaison); 3. under Permission management request: CRM master data read (qyapi_crm_maindata_read), CRM master data write (qyapi_crm_maindata_write), the To-do read and write permissions, member information read (qyapi_get_member); for work notices also the message-notification permission; 4. publish a version whose visibility includes you; 5. copy the Client ID (formerly AppKey) from Credentials & basic information into this field. The organisation must have the CRM app (客户管理) enabled in its workbench. Leave the app’s server egress IP allow-list empty: Liaison calls DingTalk from your own computer.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: 'dingxxxxxxxxxxxxxxxx',
      },
      {
        key: 'app_secret',
        label: { zh_CN: 'Client Secret（AppSecret）', en: 'Client Secret (AppSecret)' },
        help: {
          zh_CN: '同一页「凭证与基础信息」中的 Client Secret（原 AppSecret），点「复制」。Liaison 用它换取 2 小时有效的访问凭证；它只保存在本机扩展的后台，只发送给 api.dingtalk.com。',
          en: 'The Client Secret (formerly AppSecret) on the same Credentials & basic information page. Liaison trades it for a two-hour access token; it stays in the extension background on this computer and is only sent to api.dingtalk.com.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
      {
        key: 'userId',
        label: { zh_CN: '你的钉钉 userId', en: 'Your DingTalk userId' },
        help: {
          zh_CN: '客户和跟进记录以这个成员的名义创建，待办也分配给他。管理后台 oa.dingtalk.com → 通讯录 → 成员管理 → 点你的名字，详情里的「员工UserID」（不是手机号或工号）。',
          en: 'Customers and follow-ups are created in this member’s name and to-dos are assigned to them. Admin console oa.dingtalk.com → Contacts → Members → your name: the "UserID" in the details (not the mobile number or staff number).',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: '0123456789012345',
      },
    ],
  },
  configFields: [
    {
      key: 'relationType',
      label: { zh_CN: '客户类型', en: 'Customer type' },
      help: {
        zh_CN: '写入钉钉客户管理的「个人客户」（默认）或「企业客户」。客户名称自动写入 customer_name；手机号、邮箱、备注、客户编号是各组织自己的表单字段：连接后在「字段映射」中为它们选择表单里的字段（列表来自钉钉），否则不会写入，也不能按手机号查找客户。两种客户的表单不同，切换后请重新选择。',
        en: 'Create DingTalk CRM "personal customers" (default) or "company customers". The name goes to customer_name; mobile, e-mail, notes and customer code are form fields each organisation names itself: once connected, pick them in the field mapping (the list comes from DingTalk), otherwise they are not written and customers cannot be found by phone. The two forms differ: pick again after switching.',
      },
      secret: false,
      type: 'select',
      required: false,
      options: [
        { value: 'crm_customer_personal', label: { zh_CN: '个人客户', en: 'Personal customers' } },
        { value: 'crm_customer', label: { zh_CN: '企业客户', en: 'Company customers' } },
      ],
    },
    {
      key: 'agentId',
      label: { zh_CN: '应用 AgentId（工作通知）', en: 'App AgentId (work notices)' },
      help: {
        zh_CN: '可选：用于给销售人员发「工作通知」（通知销售人员）。开发者后台 → 你的应用 →「凭证与基础信息」中的 AgentId（纯数字）。不发通知可留空。',
        en: 'Optional: used to send work notices to salespeople (通知销售人员). Developer console → your app → Credentials & basic information: the numeric AgentId. Leave empty if you send no notices.',
      },
      secret: false,
      type: 'text',
      required: false,
      placeholder: '1234567890',
    },
  ],
  // The new API host and the old one (user lookup, the follow-record form, work notices) only.
  hostPermissions: ['https://api.dingtalk.com/*', 'https://oapi.dingtalk.com/*'],
  capabilities: {
    // Read back: batchQuery by instanceId (gmtModified is the marker); the customer's follow
    // records through targetFollowRecords/query; changes by the documented queryDsl filter
    // gmt_modified BETWEEN [since, …] ordered by gmt_modified ASC, paged by nextToken. The PUT
    // takes no version: no conditional update.
    read: { getCustomer: true, followUps: true, deals: false, changes: 'modified-filter', conditionalUpdate: false },
    // 通知销售人员 (seed 003 #2): a 工作通知 to the assignee (work-notice.ts; needs the AgentId above).
    people: {
      idLabel: { zh_CN: '钉钉 userId', en: 'DingTalk userId' },
      idHelp: {
        zh_CN: '销售人员的钉钉 userId：管理后台 →「通讯录」→「成员管理」→ 点成员 → 详情中的「员工 UserID」。分配客户后，Liaison 通过上面的应用给他发「工作通知」（需要填写 AgentId）。',
        en: 'The salesperson\'s DingTalk userId: admin console → Contacts → Members → click the member → "Employee UserID" in the details. When a customer is assigned to them, Liaison sends them a work notice from the app above (the AgentId must be filled in).',
      },
      idPattern: '^[\\w-]{1,64}$',
      assign: false,
      notify: true,
    },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'native', // a 跟进记录 linked to the customer (follow_record_related_customer)
    deals: 'none', // DingTalk CRM's opportunity object has no documented open API
    tasks: 'native', // a 待办 (todo) assigned to the user, sourceId = the idempotency key
  },
  // Customers: the Liaison key rides in extendData and a create first looks the name up for it;
  // follow-ups carry a [Liaison <key>] line and a create first reads the customer's records;
  // todos are looked up by sourceId (the key) before they are created.
  idempotency: 'lookup',
  // 20 calls/s per app per API (the documented application limit); writes two at a time.
  rateLimit: { requestsPerSecond: 10, burst: 10, concurrentWrites: 2 },
  defaultMapping: {
    // customer_name is the form's standard name field on both customer types (the docs' examples);
    // phone, e-mail and notes are form fields each organisation names itself (listFields shows them).
    // The follow-record form's content field is found in its metadata (the first Textarea) unless
    // the mapping names one. Templates ({{name}}, {{phones}}…) derive from this mapping.
    customer: { name: 'customer_name' },
  },
});
