// Salesforce (Sales Cloud): declared data only (UI-safe). Facts: shared/reference/crm-apis.md
// § Salesforce (REST API guide; remoteaccess_pkce; headers_api_usage). Operations live beside
// this file and are imported by the background only.
//
// Host permissions: the login host is known before connecting, but the instance (where the REST
// API lives) only arrives in the token reply's instance_url — after the flow, when there is no
// user gesture left to request a permission from. So the click that starts "connect" asks for
// https://*.salesforce.com/* up front: it covers login/test, every My Domain
// (<org>.my.salesforce.com, sandboxes <org>--<box>.sandbox.my.salesforce.com) and legacy
// instances (na123.salesforce.com). *.my.salesforce.com is listed too so the intent reads
// plainly in the manifest; a custom login domain (not on salesforce.com) comes from the field.
import { defineCrmSpec } from '../spec';

export const SALESFORCE_LOGIN_HOSTS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;

export const salesforceSpec = defineCrmSpec({
  id: 'salesforce',
  names: { zh_CN: 'Salesforce', en: 'Salesforce' },
  docsUrl: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest.htm',
  setup: {
    label: { zh_CN: '检查外部 ID 字段', en: 'Check the external ID field' },
    help: {
      zh_CN: '检查 Lead / Contact / Task / Opportunity 上是否有外部 ID 字段 Liaison_Id__c（文本 36，外部 ID，唯一）。有它时，断网重试不会产生重复记录；没有时退回到「先查找再创建」。',
      en: 'Checks whether Lead / Contact / Task (Activity) / Opportunity have the external ID field Liaison_Id__c (Text 36, External ID, Unique). With it, retries after a lost reply never duplicate; without it Liaison searches before creating.',
    },
  },
  auth: {
    kind: 'oauth2-pkce',
    fields: [
      {
        key: 'loginHost',
        label: { zh_CN: '登录地址', en: 'Login host' },
        help: {
          zh_CN: '正式环境选 login.salesforce.com，沙箱选 test.salesforce.com；公司启用了 My Domain 且禁止从 login 登录时选「My Domain」并在下面填写地址。',
          en: 'Production: login.salesforce.com; sandbox: test.salesforce.com. If your company requires logging in through its My Domain, choose "My Domain" and enter it below.',
        },
        secret: false,
        type: 'select',
        required: true,
        options: [
          { value: 'production', label: { zh_CN: '正式环境 (login.salesforce.com)', en: 'Production (login.salesforce.com)' } },
          { value: 'sandbox', label: { zh_CN: '沙箱 (test.salesforce.com)', en: 'Sandbox (test.salesforce.com)' } },
          { value: 'my-domain', label: { zh_CN: 'My Domain（下方填写）', en: 'My Domain (enter below)' } },
        ],
      },
      {
        key: 'myDomain',
        label: { zh_CN: 'My Domain 地址', en: 'My Domain URL' },
        help: {
          zh_CN: '仅在上面选择 My Domain 时填写：Setup → My Domain 中的地址，形如 https://yourcompany.my.salesforce.com。',
          en: 'Only with "My Domain" above: the URL from Setup → My Domain, like https://yourcompany.my.salesforce.com.',
        },
        secret: false,
        type: 'url',
        required: false,
        placeholder: 'https://yourcompany.my.salesforce.com',
      },
      {
        key: 'consumerKey',
        label: { zh_CN: 'Consumer Key', en: 'Consumer Key' },
        help: {
          zh_CN:
            '使用您自己组织里的 Connected App：1. Setup → App Manager → New Connected App；2. 勾选 Enable OAuth Settings；3. Callback URL 填写设置页显示的扩展回调地址（https://<扩展ID>.chromiumapp.org/）；4. OAuth Scopes 选 Manage user data via APIs (api) 和 Perform requests at any time (refresh_token, offline_access)；5. 勾选 Require Proof Key for Code Exchange (PKCE)，不要勾选 Require Secret for Web Server Flow；6. 保存后在 Manage Consumer Details 复制 Consumer Key。新建的应用可能需要 2–10 分钟才生效。',
          en:
            'Use a connected app in your own org: 1. Setup → App Manager → New Connected App; 2. tick Enable OAuth Settings; 3. set the Callback URL to the extension’s redirect address shown on this page (https://<extension id>.chromiumapp.org/); 4. OAuth scopes: Manage user data via APIs (api) and Perform requests at any time (refresh_token, offline_access); 5. tick Require Proof Key for Code Exchange (PKCE) and untick Require Secret for Web Server Flow; 6. save, then copy the Consumer Key from Manage Consumer Details. A new app can take 2–10 minutes to start working.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: '3MVG9…',
      },
    ],
    oauth: {
      authorizeUrl: '{{loginHost}}/services/oauth2/authorize',
      tokenUrl: '{{loginHost}}/services/oauth2/token',
      scopes: ['api', 'refresh_token'],
      clientSecret: 'none',
    },
  },
  configFields: [
    {
      key: 'customerObject',
      label: { zh_CN: '客户写入为', en: 'Create customers as' },
      help: {
        zh_CN: '新客户默认建为潜在客户 (Lead)；已经用联系人 (Contact) 管理客户的组织可选 Contact。查找时两者都会搜索。',
        en: 'New customers become Leads by default; orgs that keep customers as Contacts can choose Contact. Searches look at both.',
      },
      secret: false,
      type: 'select',
      required: false,
      options: [
        { value: 'Lead', label: { zh_CN: '潜在客户 (Lead)', en: 'Lead' } },
        { value: 'Contact', label: { zh_CN: '联系人 (Contact)', en: 'Contact' } },
      ],
    },
    {
      key: 'caseOrigin',
      label: { zh_CN: '个案来源 (Case Origin)', en: 'Case Origin' },
      help: {
        zh_CN: '从聊天创建的个案 (Case) 的「个案来源」选项值，默认 Web。若组织在 Origin 选项列表中加了 Chat、WhatsApp 等值，可填写该值（须与选项的 API 值完全一致）。',
        en: 'The Origin picklist value of Cases created from a chat; default Web. If your org added values such as Chat or WhatsApp to the Origin picklist, enter that value (its API name, exactly).',
      },
      secret: false,
      type: 'text',
      required: false,
      placeholder: 'Web',
    },
  ],
  hostPermissions: ['https://*.salesforce.com/*', 'https://*.my.salesforce.com/*', { fromField: 'myDomain' }],
  capabilities: {
    // Deals are not read: createDeal's Opportunities hang off no Lead (values.ts dealFields), so
    // nothing relates them to the customer in a query.
    read: { getCustomer: true, followUps: true, deals: false, changes: 'modified-filter', conditionalUpdate: true },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'native', // Task, Status Completed
    deals: 'native', // Opportunity
    tasks: 'native', // Task, Not Started, ActivityDate = due
    batchCreate: 200, // composite/sobjects collections
    // Case (Subject, Description, Origin, Priority; ContactId, or Supplied* for a Lead), read back
    // by CaseNumber/Status/IsClosed; follow-ups as CaseComment. A Case needs no customer.
    tickets: { noun: { zh_CN: '个案', en: 'Case' }, read: true, comments: true, needsCustomer: false },
  },
  // Upsert on the external ID field Liaison_Id__c, which the user creates (REST cannot add
  // fields without the Metadata API); without it the adapter searches before creating.
  idempotency: 'upsert',
  // No per-second limit is documented, only the rolling 24 h allocation (100k + per licence) and
  // 25 concurrent long requests: stay gentle so one browser never eats an org's allocation.
  rateLimit: { requestsPerSecond: 5, burst: 5, concurrentWrites: 4 },
  defaultMapping: {
    customer: {
      name: 'LastName',
      company: 'Company',
      phones: 'MobilePhone',
      email: 'Email',
      source: 'LeadSource',
      stage: 'Status',
      notes: 'Description',
    },
  },
});
