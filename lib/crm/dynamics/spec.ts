// Microsoft Dynamics 365 (Dataverse Web API v9.2): declared data only (UI-safe). Facts:
// shared/reference/crm-apis.md § Dynamics and learn.microsoft.com/power-apps/developer/
// data-platform/webapi/* (read 2026-12-06: create-entity-web-api, update-delete-entities-using-
// web-api (If-Match, upsert with If-None-Match: *), query-data-web-api (@odata.nextLink,
// Prefer: odata.maxpagesize), compose-http-requests-handle-errors, api-limits (429 + Retry-After)).
// Operations live beside this file and are imported by the background only.
//
// Auth: the user's own Entra app registration (public client, PKCE, no secret). The scope names
// the environment ({{orgUrl}}/user_impersonation), so the environment URL is a form field, and
// host permission is asked for that origin only (plus the Entra login host for the token call).
import { defineCrmSpec } from '../spec';

export const DYNAMICS_LOGIN_ORIGIN = 'https://login.microsoftonline.com';

export const dynamicsSpec = defineCrmSpec({
  id: 'dynamics',
  names: { zh_CN: 'Microsoft Dynamics 365', en: 'Microsoft Dynamics 365' },
  docsUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/overview',
  auth: {
    kind: 'oauth2-pkce',
    fields: [
      {
        key: 'orgUrl',
        label: { zh_CN: '环境地址', en: 'Environment URL' },
        help: {
          zh_CN: '打开 Dynamics 365 或 Power Platform 管理中心（admin.powerplatform.microsoft.com）→ 环境 → 选择您的环境，复制「环境 URL」，形如 https://yourorg.crm5.dynamics.com（crm 后的数字表示区域：无数字 北美，crm4 欧洲，crm5 亚太…）。只填写到 .com 为止。',
          en: 'Open the Power Platform admin center (admin.powerplatform.microsoft.com) → Environments → your environment and copy its "Environment URL", like https://yourorg.crm.dynamics.com (the number after crm is the region: none = North America, crm4 = Europe, crm5 = Asia Pacific…). Stop at .com.',
        },
        secret: false,
        type: 'url',
        required: true,
        placeholder: 'https://yourorg.crm.dynamics.com',
      },
      {
        key: 'tenant',
        label: { zh_CN: '租户 ID', en: 'Tenant ID' },
        help: {
          zh_CN: 'Azure 门户（portal.azure.com）→ Microsoft Entra ID → 概述 中的「租户 ID」（GUID），也可以填写租户域名如 contoso.onmicrosoft.com。',
          en: 'Azure portal (portal.azure.com) → Microsoft Entra ID → Overview: the "Tenant ID" (a GUID); a tenant domain such as contoso.onmicrosoft.com also works.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: '00000000-0000-0000-0000-000000000000',
      },
      {
        key: 'clientId',
        label: { zh_CN: '应用程序（客户端）ID', en: 'Application (client) ID' },
        help: {
          zh_CN:
            '在您自己的 Entra 租户中注册一个应用：1. Azure 门户 → Microsoft Entra ID → 应用注册 → 新注册；2. 名称随意（如 Liaison），受支持的帐户类型选「仅此组织目录中的帐户」；3. 重定向 URI 平台选「单页应用程序 (SPA)」，地址填写本设置页显示的扩展回调地址（https://<扩展ID>.chromiumapp.org/）；4. 注册后在「API 权限」→ 添加权限 → Dynamics CRM → 委托的权限 → 勾选 user_impersonation，必要时请管理员「授予管理员同意」；5. 在「概述」复制「应用程序（客户端）ID」填到这里。无需客户端密码。注意：单页应用的刷新令牌最长 24 小时有效，过期后需在此重新连接。',
          en:
            'Register an app in your own Entra tenant: 1. Azure portal → Microsoft Entra ID → App registrations → New registration; 2. any name (e.g. Liaison), supported account types "Accounts in this organizational directory only"; 3. redirect URI platform "Single-page application (SPA)", address = the extension’s redirect address shown on this page (https://<extension id>.chromiumapp.org/); 4. then API permissions → Add a permission → Dynamics CRM → Delegated permissions → tick user_impersonation (ask an admin to "Grant admin consent" if your tenant requires it); 5. copy the "Application (client) ID" from Overview here. No client secret is needed. Note: refresh tokens of single-page apps last at most 24 hours; after that, connect again here.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: '00000000-0000-0000-0000-000000000000',
      },
    ],
    oauth: {
      authorizeUrl: `${DYNAMICS_LOGIN_ORIGIN}/{{tenant}}/oauth2/v2.0/authorize`,
      tokenUrl: `${DYNAMICS_LOGIN_ORIGIN}/{{tenant}}/oauth2/v2.0/token`,
      // {{orgUrl}} is expanded like the URLs (see the report: lib/connections/oauth.ts must expand scopes too).
      scopes: ['{{orgUrl}}/user_impersonation', 'offline_access'],
      clientSecret: 'none',
    },
  },
  configFields: [
    {
      key: 'customerEntity',
      label: { zh_CN: '客户写入为', en: 'Create customers as' },
      help: {
        zh_CN: '新客户默认建为联系人 (contact)；用潜在顾客 (lead) 管理线索的组织可选 lead。跟进记录写为附在该记录上的「备注」(annotation)，任务写为任务活动 (task)，成交写为商机 (opportunity)。',
        en: 'New customers become contacts by default; orgs that work leads can choose lead. Follow-ups are notes (annotations) on that record, reminders are task activities, deals are opportunities.',
      },
      secret: false,
      type: 'select',
      required: false,
      options: [
        { value: 'contact', label: { zh_CN: '联系人 (contact)', en: 'Contact' } },
        { value: 'lead', label: { zh_CN: '潜在顾客 (lead)', en: 'Lead' } },
      ],
    },
  ],
  hostPermissions: [`${DYNAMICS_LOGIN_ORIGIN}/*`, { fromField: 'orgUrl' }],
  capabilities: {
    read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', followUpChanges: true, conditionalUpdate: true },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    // A note (annotation), not a phonecall activity: a note needs no direction, phone number or
    // owner, takes any method (微信, 面谈…), and its text carries the [Liaison <key>] line read back.
    followUps: 'native',
    deals: 'native', // opportunity
    tasks: 'native', // task activity, scheduledend = due
  },
  // Create-only upsert on the row's own primary key: the record id is derived from the outbox
  // key and sent as PATCH <set>(<id>) with If-None-Match: * (a retry after a lost reply gets 412,
  // the record is then read). No alternate key or custom column to create first.
  idempotency: 'upsert',
  // Service protection limits (api-limits): 6,000 requests per user per 5-minute sliding window,
  // 20 min of execution time, 52 concurrent requests. 5/s keeps one browser far below them.
  rateLimit: { requestsPerSecond: 5, burst: 10, concurrentWrites: 4 },
  // contact has no plain company column (parentcustomerid is a lookup to an account); lead maps company → companyname (values.ts).
  defaultMapping: {
    customer: { name: 'lastname', phones: 'mobilephone', email: 'emailaddress1', notes: 'description' },
  },
});
