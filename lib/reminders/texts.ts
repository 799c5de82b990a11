// Strings for reminder notifications and the morning digest, in the two UI languages.
// Kept here (not in _locales) because the background builds them with counts and names,
// and tests must be able to pick a language without the browser's i18n API.

export type ReminderLanguage = 'zh_CN' | 'en';

export interface ReminderTexts {
  /** BCP 47 locale for date formatting. */
  locale: string;
  reminderTitle(name: string, code: string): string;
  /** `due` is already formatted; `detail` is the last follow-up or the reminder's note. */
  /** `source`: the CRM connection whose data set this 下次跟进 (read back by a pull). */
  reminderMessage(p: { due: string; overdue: boolean; detail?: { kind: 'followUp' | 'note'; text: string }; source?: string }): string;
  doneButton: string;
  snoozeButton(minutes: number): string;
  digestTitle(counts: { dueToday: number; overdue: number }): string;
  digestName(name: string, overdue: boolean): string;
  digestMessage(names: readonly string[], more: number): string;
}

function zhDuration(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}小时` : `${minutes}分钟`;
}
function enDuration(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

export const REMINDER_TEXTS: Record<ReminderLanguage, ReminderTexts> = {
  zh_CN: {
    locale: 'zh-CN',
    reminderTitle: (name, code) => `跟进提醒：${name}（${code}）`,
    reminderMessage: ({ due, overdue, detail, source }) =>
      [`${overdue ? '已逾期，' : ''}计划跟进：${due}${source ? `（来自 ${source}）` : ''}`, detail && `${detail.kind === 'followUp' ? '上次跟进' : '备注'}：${detail.text}`]
        .filter(Boolean)
        .join('\n'),
    doneButton: '完成',
    snoozeButton: (m) => `稍后${zhDuration(m)}`,
    digestTitle: ({ dueToday, overdue }) => `今日待跟进 ${dueToday} 位，逾期 ${overdue} 位`,
    digestName: (name, overdue) => (overdue ? `${name}（逾期）` : name),
    digestMessage: (names, more) => `${names.join('、')}${more > 0 ? ` 等 ${names.length + more} 位` : ''}`,
  },
  en: {
    locale: 'en',
    reminderTitle: (name, code) => `Follow up: ${name} (${code})`,
    reminderMessage: ({ due, overdue, detail, source }) =>
      [`${overdue ? 'Overdue, ' : ''}planned for ${due}${source ? ` (from ${source})` : ''}`, detail && `${detail.kind === 'followUp' ? 'Last follow-up' : 'Note'}: ${detail.text}`]
        .filter(Boolean)
        .join('\n'),
    doneButton: 'Done',
    snoozeButton: (m) => `Snooze ${enDuration(m)}`,
    digestTitle: ({ dueToday, overdue }) => `Due today: ${dueToday}, overdue: ${overdue}`,
    digestName: (name, overdue) => (overdue ? `${name} (overdue)` : name),
    digestMessage: (names, more) => `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
  },
};

export function reminderTexts(language: ReminderLanguage): ReminderTexts {
  return REMINDER_TEXTS[language];
}

/** A due time as the notification shows it, e.g. "Nov 21, 09:00" / "11月21日 09:00". */
export function formatDueTime(at: number, texts: ReminderTexts, timeZone?: string): string {
  return new Intl.DateTimeFormat(texts.locale, {
    timeZone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
