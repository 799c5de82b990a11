import { z } from 'zod';
import { DEFAULT_PRODUCTS, DEFAULT_SOURCES, DEFAULT_STAGES } from './enums';
import { lazySchema } from './lazy-schema';

const list = lazySchema(() => z.array(z.string().trim().min(1).max(50)).min(1).max(50));
const hhmm = lazySchema(() => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'));

export const settingsSchema = lazySchema(() => z.object({
  /**
   * 客户编号 format. Tokens: {YYYY} {YY} {MM} {DD} and {seq:N} (zero-padded to N digits).
   * The sequence restarts whenever the text around it changes (so yearly with {YYYY}).
   */
  codeFormat: z
    .string()
    .min(1)
    .max(40)
    .refine((f) => /\{seq(:\d)?\}/.test(f), 'must contain {seq} or {seq:N}'),
  stages: list,
  sources: list,
  products: list,
  /** Daily digest (seed 000's 每天早上检查待跟进), local time. */
  digestEnabled: z.boolean(),
  digestTime: hhmm,
  /** Weekly report notification (seed 000's 每周统计): ISO weekday 1 = Monday … 7 = Sunday, local time. */
  weeklyEnabled: z.boolean(),
  weeklyDay: z.number().int().min(1).max(7),
  weeklyTime: hhmm,
  /** Privacy: logging follow-ups automatically from conversations is off until the user turns it on. */
  autoLog: z.boolean(),
  /** Keep message text in follow-ups created from chats (summaries only by default). */
  keepTranscripts: z.boolean(),
  language: z.enum(['auto', 'zh_CN', 'en']),
  /** Default snooze in minutes. */
  snoozeMinutes: z.number().int().min(5).max(24 * 60),
  /**
   * 跟进人: the name this salesperson's follow-ups carry (in the CRM too, so colleagues see who
   * logged them). Empty: none.
   */
  userName: z.string().trim().max(100),
  /** How often connected CRMs are read back (seed 003's scheduler), in minutes. */
  pullMinutes: z.number().int().min(1).max(24 * 60),
  /**
   * Seed 003 方案B: the temporary 客户编号 a customer shows until a code-master CRM assigns the
   * real one (same tokens as codeFormat). The default carries {device}, this browser's tag, so
   * two salespeople's browsers never count the same temporary code (WX20261205K7Q001).
   */
  tempCodeFormat: z
    .string()
    .min(1)
    .max(40)
    .refine((f) => /\{seq(:\d)?\}/.test(f), 'must contain {seq} or {seq:N}'),
}));
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  codeFormat: 'KH{YYYY}-{seq:4}',
  stages: [...DEFAULT_STAGES],
  sources: [...DEFAULT_SOURCES],
  products: [...DEFAULT_PRODUCTS],
  digestEnabled: true,
  digestTime: '09:00',
  weeklyEnabled: true,
  weeklyDay: 1,
  weeklyTime: '09:30',
  autoLog: false,
  keepTranscripts: false,
  language: 'auto',
  snoozeMinutes: 60,
  userName: '',
  pullMinutes: 5,
  tempCodeFormat: 'WX{YYYY}{MM}{DD}{device}{seq:3}',
};
