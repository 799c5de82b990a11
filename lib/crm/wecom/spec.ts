// 企业微信 WeCom 客户联系: declared data only (UI-safe). Facts from WeCom's own API YAML
// (WecomTeam/OpenApi @ 2c434450d469, 2023-01-10, read from ../shared/specs/wecom/api at test time:
// WwOpenGetToken, GetExternalContact, BatchGetExternalContactByUser, RemarkExternalContact,
// MarkExternalContactTag, GetExternalContactTag, AddSchedule, WwOpenAppSendMsg, WwOpenGetAgent,
// WwOpenGetUser) and its pages on developer.work.weixin.qq.com (read 2026-12-06):
// - token: GET /cgi-bin/gettoken?corpid&corpsecret → {errcode:0, access_token, expires_in:7200};
//   every call then takes ?access_token= and answers HTTP 200 {errcode, errmsg};
// - customers: a 客户 is an external contact a member added on WeChat; no API creates one
//   (客户联系 has only get/list/batch/remark/mark_tag for existing contacts). Liaison "links" a
//   customer by finding the follow user's contact (batch/get_by_user, path/92994 "批量获取客户详情")
//   and writes that member's remark, description, remark_company, remark_mobiles
//   (externalcontact/remark, path/92115 and 96317 last updated 2025/11/17: remark ≤ 20 chars,
//   description ≤ 150, remark_company ≤ 20) and corp tags (mark_tag, path/92697 2023/12/01);
// - follow-ups: WeCom has no 跟进记录 API for self-built apps (the 客户联系 API list has none; the
//   follow-up APIs found are third-party SCRM products built on WeCom, 探马 and 微伴), so follow-ups
//   are 'none' rather than overwriting the description the mapping already writes;
// - tasks: 日程 (oa/schedule/add) organised by the follow user; WeCom takes no idempotency key for
//   it and the YAML has no read API for schedules, so a reply lost after WeCom saved the schedule
//   can leave a duplicate (stated, not hidden);
// - limits (访问频率限制, path/90454, last updated 2023/08/28): per corp per API 10,000/min and
//   150,000/h, per IP 20,000/min and 600,000/h, errcode 45009, blocked 60 s (minute rule) or
//   60 min (hour rule); application messages: per app per member 30/min and 1,000/h. A community
//   answer by WeCom staff (developers.weixin.qq.com, 2021) puts externalcontact/remark at ≤ 5
//   concurrent calls (errcode 45033).
// - since 2022-06-20 new self-built apps must list 企业可信IP: calls from any other address answer
//   errcode 60020, so the user must add the computer's public IP (see the help text).
// - since 2023-12-01 the 客户联系 system app's secret no longer calls these APIs for new corps: a
//   self-built app configured in 「客户联系 → API → 可调用接口的应用」 is the way (path/92113 note).
import { defineCrmSpec } from '../spec';

export const WECOM_ORIGIN = 'https://qyapi.weixin.qq.com';

/** The member-level fields of a 客户联系 contact Liaison can write (externalcontact/remark + mark_tag). */
export const WECOM_FIELDS = ['remark', 'description', 'remark_company', 'remark_mobiles', 'tags'] as const;
export type WecomField = (typeof WECOM_FIELDS)[number];
/** Documented maximum length in characters (RemarkExternalContact.yaml). */
export const WECOM_LIMITS: Partial<Record<WecomField, number>> = { remark: 20, description: 150, remark_company: 20 };

export const wecomSpec = defineCrmSpec({
  id: 'wecom',
  names: { zh_CN: '企业微信（客户联系）', en: 'WeCom (Customer Contact)' },
  docsUrl: 'https://developer.work.weixin.qq.com/document/path/92115',
  auth: {
    kind: 'app-credentials',
    fields: [
      {
        key: 'corpid',
        label: { zh_CN: '企业ID（corpid）', en: 'Corp ID (corpid)' },
        help: {
          zh_CN: '用管理员账号登录企业微信管理后台 work.weixin.qq.com → 「我的企业」→ 页面最下方「企业信息」中的「企业ID」（以 ww 开头），复制填到这里。',
          en: 'Sign in to the WeCom admin console work.weixin.qq.com as an admin → My Company → at the bottom of Company information, copy the "Corp ID" (starts with ww).',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: 'ww0123456789abcdef',
      },
      {
        key: 'agentid',
        label: { zh_CN: '自建应用 AgentId', en: 'Self-built app AgentId' },
        help: {
          zh_CN:
            '1. 管理后台 →「应用管理」→「自建」→「创建应用」（名称如 Liaison，可见范围包含要同步客户的成员）；2. 打开该应用，复制页面上的 AgentId（纯数字）填到这里；3. 在「客户与上下游」→「客户联系」→「客户」→ 上方「API」→「可调用接口的应用」中点「修改」，勾选这个应用（否则调用客户接口会返回 48002 无权限）；4. 在应用页面最下方「企业可信IP」中填入你这台电脑访问互联网的公网 IP（2022 年 6 月 20 日后创建的应用必须配置，否则返回 60020；IP 变化后需要更新）。发「应用消息」通知销售人员和创建日程也用这个应用。',
          en:
            '1. Admin console → App Management → Self-built → Create an app (name it e.g. Liaison; its visible range must include the members whose customers you sync); 2. open the app and copy its numeric AgentId here; 3. under Customers & Partners → Customer Contact → Customers → "API" at the top → "Apps that can call the API", click Edit and tick this app (otherwise the customer APIs answer 48002 "api forbidden"); 4. at the bottom of the app page, under "Trusted IP of the company", enter the public IP this computer reaches the internet from (required for apps created after 2022-06-20, otherwise every call answers 60020; update it when your IP changes). Application messages to salespeople and schedules are sent as this app too.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: '1000002',
      },
      {
        key: 'secret',
        label: { zh_CN: '应用 Secret', en: 'App Secret' },
        help: {
          zh_CN: '同一应用页面上的「Secret」→「查看」，Secret 会发送到管理员的企业微信里，复制填到这里。须是上一步勾选进「客户联系 可调用接口的应用」的那个自建应用的 Secret（2023 年 12 月 1 日后开通的企业不能再用「客户联系」系统应用的 Secret）。Liaison 只在本机扩展后台用它换取 2 小时有效的 access_token，只发送给 qyapi.weixin.qq.com。',
          en: 'On the same app page, Secret → View: WeCom sends the secret to the admin’s WeCom; copy it here. It must be the secret of the self-built app you ticked under "Apps that can call the API" (corps that started after 2023-12-01 can no longer use the Customer Contact system app’s secret). Liaison trades it for a two-hour access_token in the extension background on this computer and sends it only to qyapi.weixin.qq.com.',
        },
        secret: true,
        type: 'password',
        required: true,
      },
      {
        key: 'followUserId',
        label: { zh_CN: '跟进成员的账号（userid）', en: 'Follow-up member’s account (userid)' },
        help: {
          zh_CN: '同步谁的客户：这个成员在企业微信里添加的客户会被查找和关联，备注、描述和标签写在这个成员名下，日程也由他组织。管理后台 →「通讯录」→ 点成员姓名 → 详情里的「账号」（不是手机号或姓名）。该成员须在「客户联系」的使用范围和应用的可见范围内。',
          en: 'Whose customers to sync: the customers this member added in WeCom are searched and linked, the remark, description and tags are written as this member, and schedules are organised by them. Admin console → Contacts → click the member → the "Account" in the details (not the mobile number or name). The member must be within Customer Contact’s usage range and the app’s visible range.',
        },
        secret: false,
        type: 'text',
        required: true,
        placeholder: 'zhangsan',
      },
    ],
  },
  configFields: [],
  hostPermissions: ['https://qyapi.weixin.qq.com/*'],
  capabilities: {
    // WeCom returns no modification time for a contact: getCustomer's marker is a hash of the
    // follow user's remark, description, company, mobiles, tags and createtime. No change feed
    // for self-built apps without a callback server: the pull re-reads linked customers.
    read: { getCustomer: true, followUps: false, deals: false, changes: 'none', conditionalUpdate: false },
    // 通知销售人员 (seed 003 #2): an 应用消息 to the assignee (app-message.ts), from the app above.
    people: {
      idLabel: { zh_CN: '企业微信账号（userid）', en: 'WeCom account (userid)' },
      idHelp: {
        zh_CN: '销售人员的企业微信账号：管理后台 →「通讯录」→ 点成员姓名 → 详情里的「账号」（不是手机号或姓名）。他须在上面自建应用的可见范围内，否则企业微信不投递，Liaison 会标为发送失败。',
        en: 'The salesperson\'s WeCom account: admin console → Contacts → click the member → the "Account" in the details (not the mobile or name). They must be within the self-built app\'s visible range, or WeCom does not deliver and Liaison marks the notice failed.',
      },
      idPattern: '^[\\w.@-]{1,64}$',
      assign: false,
      notify: true,
    },
    createCustomer: false, // the customer adds the salesperson on WeChat; no API creates a contact
    updateCustomer: true,
    findCustomers: true,
    followUps: 'none',
    deals: 'none',
    tasks: 'native', // 日程 organised by the follow user (oa/schedule/add)
  },
  // 'lookup': a customer reaches WeCom only by being found. lib/customers/create.ts queues no
  // customer.create for a CRM whose createCustomer is false; the chat-side candidates
  // (lib/sync/team.ts: findCustomers with the chat's phones, phone hits offered for linking) link
  // the follow user's contact whose remark mobiles match, and should a customer.create ever reach
  // the worker, its lookup-before-create (execute.ts) links the same way before createCustomer
  // says why it cannot create one. remark and mark_tag set values (a repeat writes the same
  // thing); a schedule has no key and no documented lookup, so tasks are the one write a lost
  // reply may duplicate (see above).
  idempotency: 'lookup',
  // Far below the per-corp 10,000/min; writes four at a time (remark allows five concurrent calls).
  rateLimit: { requestsPerSecond: 10, burst: 20, concurrentWrites: 4 },
  defaultMapping: {
    customer: { name: 'remark', company: 'remark_company', phones: 'remark_mobiles', notes: 'description', tags: 'tags' },
  },
});
