// 智邦ERP (Zhibang International ERP), seed 003 方案A: the ERP is the master of customer codes
// (客户编号 khid). Declared data only (UI-safe); operations live in ./adapter.ts (background only).
// Contract: shared/reference/crm-apis.md § 智邦ERP (each installation's /sysn/view/OpenApi/help.ashx).
import { defineCrmSpec } from '../spec';

const L = (zh_CN: string, en: string) => ({ zh_CN, en });

export const zhibangSpec = defineCrmSpec({
  // Seed 003 方案A: the ERP allocates 客户编号 (khid) and Liaison shows it beside the chat.
  codeMaster: true,
  id: 'zhibang',
  names: L('智邦ERP', 'Zhibang ERP'),
  auth: {
    kind: 'password',
    fields: [
      {
        key: 'host',
        label: L('ERP 地址', 'ERP address'),
        help: L(
          '浏览器里打开智邦ERP登录页时地址栏的开头部分，含 http:// 或 https:// 和端口，例如 http://192.168.1.20:8080。不确定时问贵公司的 ERP 管理员。',
          'The start of the address bar when you open your Zhibang ERP login page, with http:// or https:// and the port, e.g. http://192.168.1.20:8080. Ask your ERP administrator if unsure.',
        ),
        secret: false,
        type: 'url',
        placeholder: 'http://192.168.1.20:8080',
      },
      {
        key: 'user',
        label: L('用户名', 'User name'),
        help: L('你登录智邦ERP用的账号。该账号需要有客户、洽谈进展和项目的新增/修改权限（系统管理 → 账号权限）。', 'The account you sign in to Zhibang ERP with. It needs add/edit rights on customers, follow-ups (洽谈进展) and projects (System management → account rights).'),
        secret: false,
        type: 'text',
      },
      {
        key: 'password',
        label: L('密码', 'Password'),
        help: L('该账号的登录密码。只保存在本浏览器的扩展后台，不会发送到 ERP 之外的任何地方。连续输错 3 次后 ERP 会要求验证码，请先在浏览器登录一次解除。', 'That account\'s password. It stays in this browser\'s extension background and goes nowhere but your ERP. After 3 wrong attempts the ERP asks for a captcha: sign in once in the browser to clear it.'),
        secret: true,
        type: 'password',
      },
      {
        key: 'serialnum',
        label: L('设备序列号', 'Device serial'),
        help: L('ERP 用来识别接入设备的编号，最多 20 位字母或数字。若管理员在「系统设置 → 移动端/接口设备」里绑定了设备，请填写绑定的序列号；否则留空。', 'The id the ERP uses to recognise the connecting device, up to 20 letters or digits. If your administrator bound devices under System settings → mobile/API devices, enter the bound serial; otherwise leave it empty.'),
        secret: false,
        type: 'text',
        required: false,
        placeholder: 'liaison01',
      },
    ],
  },
  configFields: [
    {
      key: 'apiStyle',
      label: L('接口风格', 'API style'),
      help: L('V1：/sysa/mobilephone/*.asp 接口（所有版本都有，推荐）。V3：/webapi/v3 接口（32.x 以上），客户新增/修改走 V3，其他仍走 V1。可在 ERP 的 /sysn/view/OpenApi/help.ashx 查看版本支持。', 'V1: the /sysa/mobilephone/*.asp endpoints (every version; recommended). V3: the /webapi/v3 endpoints (32.x and later); customer add/edit use V3, the rest V1. Your ERP\'s /sysn/view/OpenApi/help.ashx shows what it supports.'),
      secret: false,
      type: 'select',
      required: false,
      options: [
        { value: 'v1', label: L('V1（推荐）', 'V1 (recommended)') },
        { value: 'v3', label: L('V3', 'V3') },
      ],
    },
    {
      key: 'customerType',
      label: L('新客户类型', 'New customer type'),
      help: L('在 ERP 中新建客户时使用的类型：单位客户需要联系人（取聊天对象的名字），个人客户的「所在单位」取公司名。', 'The type of customers created in the ERP: company customers need a contact (the chat partner\'s name); for personal customers the company goes to 所在单位.'),
      secret: false,
      type: 'select',
      required: false,
      options: [
        { value: '1', label: L('单位客户', 'Company') },
        { value: '2', label: L('个人客户', 'Personal') },
      ],
    },
    {
      key: 'defaultSource',
      label: L('默认客户来源', 'Default customer source'),
      help: L('客户来源（ly）的枚举编号，例如「微信咨询」。连接后可从 ERP 读取的列表中选择；需要新来源时请管理员在「客户来源」枚举里添加。', 'The enum id of the customer source (ly), e.g. 微信咨询 (WeChat enquiry). After connecting, pick from the list read from your ERP; ask your administrator to add a new source to the 客户来源 enum if needed.'),
      secret: false,
      type: 'text',
      required: false,
      placeholder: '1001',
      remoteChoices: true,
    },
    {
      key: 'defaultSort1',
      label: L('默认跟进程度', 'Default follow-up level'),
      help: L('新客户的跟进程度（sort1），须与 ERP「跟进程度」分类中的名称完全一致，例如「潜在客户」。', 'The follow-up level (sort1) of new customers; must match a name in the ERP\'s 跟进程度 tree exactly, e.g. 潜在客户.'),
      secret: false,
      type: 'text',
      required: false,
      placeholder: '潜在客户',
    },
    {
      key: 'gradeWhite',
      label: L('白名单客户 → 跟进程度', 'White-list customers → level'),
      help: L('客户分级为 WHITE（白名单）时写入 ERP 的跟进程度，默认「重点客户」。', 'The ERP follow-up level for customers graded WHITE; default 重点客户 (key customer).'),
      secret: false,
      type: 'text',
      required: false,
      placeholder: '重点客户',
    },
    {
      key: 'gradeGray',
      label: L('灰名单客户 → 跟进程度', 'Grey-list customers → level'),
      help: L('客户分级为 GRAY（灰名单）时写入 ERP 的跟进程度，默认「潜在客户」。', 'The ERP follow-up level for customers graded GRAY; default 潜在客户 (prospect).'),
      secret: false,
      type: 'text',
      required: false,
      placeholder: '潜在客户',
    },
    {
      key: 'gradeBlack',
      label: L('黑名单客户 → 跟进程度', 'Black-list customers → level'),
      help: L('客户分级为 BLACK（黑名单）时写入 ERP 的跟进程度，默认「暂不跟进」。', 'The ERP follow-up level for customers graded BLACK; default 暂不跟进 (on hold).'),
      secret: false,
      type: 'text',
      required: false,
      placeholder: '暂不跟进',
    },
    {
      key: 'v3Sort',
      label: L('客户分类编号（仅 V3）', 'Customer category id (V3 only)'),
      help: L('V3 新增客户必填的客户分类（sort）编号，在 ERP「客户分类」设置中查看，默认 1。', 'The customer category (sort) id the V3 add requires; see the ERP\'s customer category settings. Default 1.'),
      secret: false,
      type: 'text',
      required: false,
      placeholder: '1',
    },
    {
      key: 'ticketAssignee',
      label: L('售后服务人员编号', 'After-sales person id'),
      help: L('新建售后服务单时「指派售后」的 ERP 用户编号（数字，在「系统管理 → 账号」里查看）。留空则不指派，由 ERP 里的负责人分配。', 'The ERP user id (digits; see System management → accounts) new after-sales orders are assigned to (指派售后). Leave empty to leave assignment to whoever handles it in the ERP.'),
      secret: false,
      type: 'text',
      required: false,
      placeholder: '63',
    },
    {
      key: 'ticketWay',
      label: L('售后方式编号', 'After-sales method id'),
      help: L('售后服务单的「售后方式」枚举编号，例如「电话支持」，在 ERP「售后方式」设置中查看。留空则不填。', 'The enum id of the order\'s 售后方式 (after-sales method, e.g. phone support), from the ERP\'s settings. Leave empty to leave it blank.'),
      secret: false,
      type: 'text',
      required: false,
      placeholder: '551',
    },
  ],
  hostPermissions: [{ fromField: 'host' }],
  capabilities: {
    // getCustomer: 客户详情 (custom/add.asp?edit=1); followUps: 洽谈进展 (systemmanage/replylist.asp,
    // see replies.ts for what the evidence settles). changes 'none': the customer list filters by
    // 添加时间 (date1_0/date1_1), 领用日期 and 添加日期, never by modification time, so the pull reads
    // each linked customer. deals: 项目列表 (chance/list.asp) filters by customer, but its columns and
    // 项目状态 values are undocumented, so Liaison's deal statuses cannot be read from it honestly.
    // conditionalUpdate: a V1 save has no version check (the web form's ModifyStamp check is not in the API).
    read: { getCustomer: true, followUps: true, deals: false, changes: 'none', conditionalUpdate: false },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'native', // 洽谈进展 reply.asp
    deals: 'native', // 项目/商机 chance/add.asp
    // A follow-up's next time becomes a pending schedule (plantype 1) on reply.asp; there is no
    // documented stand-alone schedule call in the V1 set, so reminders are not separate tasks.
    tasks: 'none',
    // 售后服务单 (ticket.ts): created on salesmanage/service/add.asp, read back from its 服务详情.
    // No comments: the documented 洽谈进展 (reply.asp) takes tel/person/chance/contract, not a service order.
    tickets: { noun: L('售后服务单', 'After-sales order'), read: true, comments: false, needsCustomer: true },
    // 客户指派 (systemmanage/order.asp?datatype=tel, assign.ts): seed 003's 调用ERP【客户指派】接口.
    people: {
      idLabel: L('ERP 用户编号', 'ERP user id'),
      idHelp: L('销售人员在智邦ERP中的用户编号（数字），在「系统管理 → 账号」里查看。分配客户时调用 ERP【客户指派】把客户指派给他。', 'The salesperson\'s user id in 智邦ERP (digits; see System management → accounts). Assigning a customer calls the ERP\'s 客户指派 to assign it to them.'),
      idPattern: '^\\d{1,12}$',
      assign: true,
      notify: false,
    },
  },
  // No idempotency in 智邦: search by khid/mobile/WeChat before create, and remember the allocated ord.
  idempotency: 'lookup',
  // Self-hosted, often a small IIS box: no documented limits, so stay gentle and serialize writes.
  rateLimit: { requestsPerSecond: 3, burst: 3, concurrentWrites: 1 },
  defaultMapping: {
    customer: {
      code: 'khid',
      name: 'person_name',
      company: 'name',
      phones: 'mobile',
      wechatId: 'weixinAcc',
      email: 'email',
      source: 'ly',
      grade: 'sort1',
      // 价值评估 (enum 14) ↔ 意向等级 高/中/低 (value.ts).
      intentLevel: 'jz',
      product: 'product',
      notes: 'intro',
    },
    followUp: { method: 'sort', content: 'intro', nextAt: '@ret_0', nextAction: '@title1' },
    deal: { product: 'title', amount: 'money', closedAt: 'date1' },
  },
});
