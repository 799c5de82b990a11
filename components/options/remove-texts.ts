// Removing a connection that still has changes to send, and the plain-http warning of the
// connect form, in both languages (beside the section, like data-texts.ts).
import type { Locale } from '../../lib/i18n';

const zh = {
  unsent: '这个连接还有 {n} 条未发送的更改。移除连接会丢弃它们，CRM 将收不到。',
  sendFirst: '先发送（立即重试）',
  exportUnsent: '导出这些更改（JSON）',
  removeAnyway: '仍然移除并丢弃 {n} 条更改',
  exported: '已导出 {n} 条未发送的更改。',
  plainHttp: '这个地址使用 http://（未加密）：密钥和客户资料会以明文经过网络。请尽量使用 https://，仅在可信的内网中使用 http。',
} as const;

const en: Record<keyof typeof zh, string> = {
  unsent: 'This connection still has {n} unsent change(s). Removing it discards them; the CRM will never receive them.',
  sendFirst: 'Send them first (retry now)',
  exportUnsent: 'Export these changes (JSON)',
  removeAnyway: 'Remove anyway and discard {n} change(s)',
  exported: 'Exported {n} unsent change(s).',
  plainHttp: 'This address uses http:// (unencrypted): the secret and customer data cross the network in clear text. Prefer https://; use http only inside a network you trust.',
};

export type ConnTextKey = keyof typeof zh;

export function connTexts(locale: Locale): (key: ConnTextKey, vars?: Record<string, string | number>) => string {
  const table = locale === 'zh_CN' ? zh : en;
  return (key, vars = {}) => table[key].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
