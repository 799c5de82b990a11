// CustomerInput (what the sidebar's form sends) → the customer fields to store, shared by
// create and update. Empty strings and nulls mean "clear"; phones become E.164 or the whole
// request is rejected, naming the number, before anything is written.
import { z } from 'zod';
import { customerInputSchema, type CustomerInput } from '../messaging/protocol';
import type { Settings } from '../model';
import type { CustomerPatch } from '../crm/port';
import { normalizePhone } from '../phone';
import { ValidationError } from './errors';

const OPTIONAL_TEXT = ['company', 'wechatId', 'source', 'product', 'grade', 'owner', 'keyword', 'notes'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new ValidationError(`输入无效 / invalid input:\n${z.prettifyError(r.error)}`);
  return r.data;
}

export function normalizePhones(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of raw) {
    if (!p.trim()) continue;
    const e164 = normalizePhone(p);
    if (!e164) throw new ValidationError(`无效的电话号码 / invalid phone number: ${p}`);
    if (!out.includes(e164)) out.push(e164);
  }
  return out;
}

/**
 * The stored fields for the keys present in `input` (a key mapped to undefined clears it).
 * `nextFollowUpAt` is left out: it goes through the reminder store. `currentStage` lets an
 * edit keep a stage that has since been removed from settings.
 */
export function customerFieldsFrom(input: CustomerInput, settings: Settings, currentStage?: string): CustomerPatch {
  const i = parseInput(customerInputSchema, input);
  const has = (k: keyof CustomerInput) => Object.hasOwn(i, k) && i[k] !== undefined;
  const out: CustomerPatch = {};
  if (has('name')) out.name = i.name;
  for (const k of OPTIONAL_TEXT) if (has(k)) out[k] = i[k]?.trim() || undefined;
  if (has('email')) {
    const email = i.email?.trim().toLowerCase();
    if (email && !EMAIL.test(email)) throw new ValidationError(`无效的邮箱 / invalid email: ${i.email}`);
    out.email = email || undefined;
  }
  if (has('phones')) out.phones = normalizePhones(i.phones ?? []);
  if (has('amount')) out.amount = i.amount ?? undefined;
  if (has('intentLevel')) out.intentLevel = i.intentLevel ?? undefined;
  if (has('tags')) out.tags = [...new Set(i.tags)];
  if (has('stage') && i.stage !== undefined) {
    if (!settings.stages.includes(i.stage) && i.stage !== currentStage) {
      throw new ValidationError(`未知的阶段 / unknown stage: ${i.stage}`);
    }
    out.stage = i.stage;
  }
  return out;
}
