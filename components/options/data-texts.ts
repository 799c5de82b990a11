// 数据 section's import report and limits, in both languages. Kept beside the section (like
// components/leads/texts.ts) rather than in the shared catalogue: the report keys come from
// lib/customers/export.ts (REPORT) and only this section shows them.
import type { Locale } from '../../lib/i18n';

const zh = {
  'report.secretsDropped': '{n} 个连接的地址与本机保存的不同：已删除本机为它们保存的密钥，这些连接已停用。请在「CRM 连接」中核对地址并重新填写密钥。',
  'report.llmKeyDropped': '文件中的 LLM 接口地址与本机不同：已删除本机保存的 API Key，LLM 已关闭。',
  'report.chatUrlsDropped': '{n} 个聊天地址不是已知聊天网站或自定义网站的 http(s) 页面，未导入。',
  'report.settingsDropped': '{n} 项未知或无效的设置未导入（其余设置已逐项校验）。',
  'report.connectionsDropped': '{n} 个连接使用了保留的 id，未导入。',
  tooLarge: '文件太大（{size} MB），上限为 {limit} MB。未导入任何数据。',
  reading: '正在读取文件…',
  writing: '正在导入… {done} / {total}',
  checking: '正在检查并导入…',
} as const;

const en: Record<keyof typeof zh, string> = {
  'report.secretsDropped':
    '{n} connection(s) point somewhere other than what this browser had: the secrets stored for them were deleted and they are switched off. Check their address in CRM connections and enter the secret again.',
  'report.llmKeyDropped': 'The file names another LLM endpoint: the stored API key was deleted and the LLM is off.',
  'report.chatUrlsDropped': '{n} chat address(es) were not http(s) pages of a known or user-defined chat site and were not imported.',
  'report.settingsDropped': '{n} unknown or invalid setting(s) were not imported (every other setting was checked one by one).',
  'report.connectionsDropped': '{n} connection(s) used a reserved id and were not imported.',
  tooLarge: 'The file is too large ({size} MB; the limit is {limit} MB). Nothing was imported.',
  reading: 'Reading the file…',
  writing: 'Importing… {done} / {total}',
  checking: 'Checking and importing…',
};

export type DataTextKey = keyof typeof zh;
export type DataT = (key: DataTextKey, vars?: Record<string, string | number>) => string;

export function dataTexts(locale: Locale): DataT {
  const table = locale === 'zh_CN' ? zh : en;
  return (key, vars = {}) => table[key].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Report keys (lib/customers/export.ts REPORT) this section explains, in display order. */
export const REPORT_NOTICES = ['report.secretsDropped', 'report.llmKeyDropped', 'report.chatUrlsDropped', 'report.settingsDropped', 'report.connectionsDropped'] as const;
