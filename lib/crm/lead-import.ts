// What every table CRM's lead import (seed 000's 生成线索 → 过滤有效线索 → 导入) takes and
// reports, shared so the Bitable and NocoDB importers (and any later one) speak alike.
import { z } from 'zod';
import { INTENT_LEVELS } from '../model';
import type { CrmError } from './errors';
import { normalizePhone, type CountryCode } from '../phone';

/** A lead as seed 000's search produced it (name, phone, source, intent_level, content, keyword). */
export const leadSchema = z.object({
  name: z.string().trim().max(200).optional(),
  phone: z.string().max(64),
  source: z.string().trim().max(100).optional(),
  intentLevel: z.enum(INTENT_LEVELS).optional(),
  content: z.string().max(10_000).optional(),
  keywords: z.array(z.string().trim().max(100)).max(50).optional(),
  wechatId: z.string().trim().max(100).optional(),
  product: z.string().trim().max(100).optional(),
  amount: z.number().nonnegative().optional(),
  code: z.string().trim().max(64).optional(),
});
export type Lead = z.input<typeof leadSchema>;

export type SkipReason = 'duplicate' | 'invalid-phone' | 'invalid-lead';

/** synced / skipped (with why) / failed (with the error): the report the user reads. */
export interface LeadImportOutcome {
  synced: { lead: Lead; remoteId: string }[];
  skipped: { lead: Lead; reason: SkipReason; duplicateOf?: 'batch' | 'table'; existingRemoteId?: string; detail?: string }[];
  failed: { lead: Lead; reason: string; error: CrmError }[];
}

/** A lead that passed seed 000's filter: valid, its phone normalized (E.164). */
export interface LeadCandidate {
  lead: Lead;
  parsed: z.output<typeof leadSchema>;
  phone: string;
}

/**
 * Steps 1–2 of every import: validate each lead, normalize its phone, skip invalid ones and
 * duplicates within the batch (the first occurrence wins) into the report. By phone, in order.
 */
export function filterLeads(leads: readonly Lead[], report: Pick<LeadImportOutcome, 'skipped'>, defaultRegion: CountryCode = 'CN'): Map<string, LeadCandidate> {
  const unique = new Map<string, LeadCandidate>();
  for (const lead of leads) {
    const parsed = leadSchema.safeParse(lead);
    if (!parsed.success) {
      report.skipped.push({ lead, reason: 'invalid-lead', detail: parsed.error.issues[0]?.path.join('.') ?? 'invalid' });
      continue;
    }
    const phone = normalizePhone(parsed.data.phone, defaultRegion);
    if (!phone) {
      report.skipped.push({ lead, reason: 'invalid-phone' });
      continue;
    }
    if (unique.has(phone)) {
      report.skipped.push({ lead, reason: 'duplicate', duplicateOf: 'batch' });
      continue;
    }
    unique.set(phone, { lead, parsed: parsed.data, phone });
  }
  return unique;
}
