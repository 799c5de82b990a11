// Strings of the options page's 群机器人 section (components/options/RobotsSection.tsx), in both
// languages. Kept apart from messages-pages.ts (issue 17 item 4 was built beside it); the lead
// may merge them into the pages table.
import type { Locale } from './index';

const zh = {
  title: '群机器人通知',
  desc: '把购买信号、售后投诉和客户分配发到团队群：飞书、钉钉、企业微信的群机器人，或 Slack 的 Incoming Webhook。',
  add: '添加群机器人：',
  new: '添加{kind}',
  edit: '编辑{kind}',
  name: '名称',
  namePlaceholder: '例如：销售一组',
  url: 'Webhook 地址',
  secret: '{label}',
  secretKeep: '已保存；留空则保持不变',
  keyword: '自定义关键词',
  keywordHint: '机器人设置了自定义关键词时，填写其中一个；缺少关键词的消息会自动在标题前加上它。',
  format: '消息样式',
  formatRich: '富文本（飞书富文本 / 钉钉、企业微信 Markdown / Slack Blocks）',
  formatText: '纯文本',
  steps: '如何创建机器人',
  rate: '发送频率：{rule}。超出时联络会排队等待，不会丢消息。',
  save: '保存',
  cancel: '取消',
  test: '发送测试消息',
  testing: '正在发送…',
  testOk: '测试消息已发送，请到群里查看。',
  enabled: '启用',
  paused: '已停用',
  pause: '停用',
  resume: '启用',
  remove: '删除',
  confirmRemove: '确定删除「{name}」？引用它的规则和策略将不再通知这个群。',
  removeYes: '删除',
  empty: '还没有群机器人。',
  failed: '操作失败',
  urlSecret: 'Webhook 地址本身就是凭证：任何拿到它的人都能往群里发消息。',
} as const;

const en: Record<keyof typeof zh, string> = {
  title: 'Group robot notifications',
  desc: 'Post buying signals, complaints and assignments to a team group: Feishu, DingTalk and WeCom group robots, or a Slack incoming webhook.',
  add: 'Add a group robot:',
  new: 'Add {kind}',
  edit: 'Edit {kind}',
  name: 'Name',
  namePlaceholder: 'e.g. Sales team 1',
  url: 'Webhook address',
  secret: '{label}',
  secretKeep: 'Saved; leave empty to keep it',
  keyword: 'Custom keyword',
  keywordHint: "If the robot has custom keywords, enter one; a message without it gets it added before the title.",
  format: 'Message style',
  formatRich: 'Rich (Feishu post / DingTalk and WeCom markdown / Slack blocks)',
  formatText: 'Plain text',
  steps: 'How to create the robot',
  rate: 'Sending rate: {rule}. Beyond it Liaison queues and waits; nothing is dropped.',
  save: 'Save',
  cancel: 'Cancel',
  test: 'Send test message',
  testing: 'Sending…',
  testOk: 'Test message sent; check the group.',
  enabled: 'On',
  paused: 'Paused',
  pause: 'Pause',
  resume: 'Resume',
  remove: 'Remove',
  confirmRemove: 'Remove "{name}"? Rules and strategies that use it will no longer notify this group.',
  removeYes: 'Remove',
  empty: 'No group robots yet.',
  failed: 'That did not work',
  urlSecret: 'The webhook address is itself a credential: anyone who has it can post to the group.',
};

export type RobotTextKey = keyof typeof zh;

export function robotsTexts(locale: Locale): (key: RobotTextKey, vars?: Record<string, string | number>) => string {
  const table = locale === 'zh_CN' ? zh : en;
  return (key, vars = {}) => table[key].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
