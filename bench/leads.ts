// Deterministic leads for the sync bench, in the proportions of the task: 10 % duplicates and
// 5 % invalid phones. Half the duplicates repeat another lead of the same batch (typed
// differently, "+86 138-…"), half repeat a customer already in 客户信息表 (half typed exactly as
// stored, half with the +86 prefix). The table is pre-filled with existing customers (20 % of
// the lead count), so dedupe against it is real work.
import type { Lead } from '../lib/crm/feishu-bitable/import';
import { rng } from '../test/bench-data';

export interface LeadSet {
  leads: Lead[];
  /** Rows already in 客户信息表 before the import (national digits, as typed by hand). */
  existing: { 姓名: string; 电话: string }[];
  counts: { uniqueNew: number; batchDuplicates: number; tableDuplicates: number; invalid: number };
}

const SOURCES = ['抖音', '小红书', '百度', '转介绍', '其他'];
const INVALID = ['12345', '00000000000', 'call me', '1381000', '+86 123'];
const mobile = (prefix: string, i: number) => `${prefix}${String(i).padStart(8, '0')}`;

export function makeLeads(n: number, seed = 2026): LeadSet {
  const r = rng(seed);
  const invalid = Math.round(n * 0.05);
  const dupes = Math.round(n * 0.1);
  const batchDuplicates = Math.floor(dupes / 2);
  const tableDuplicates = dupes - batchDuplicates;
  const uniqueNew = n - invalid - dupes;
  const existing = Array.from({ length: Math.max(tableDuplicates, Math.round(n * 0.2)) }, (_, i) => ({ 姓名: `老客户${i}`, 电话: mobile('139', i) }));

  const lead = (name: string, phone: string): Lead => ({
    name,
    phone,
    source: SOURCES[Math.floor(r() * SOURCES.length)]!,
    intentLevel: '中',
    content: '咨询贷款额度和利率',
    keywords: ['深圳', '信用贷'],
  });
  const leads: Lead[] = [];
  for (let i = 0; i < uniqueNew; i++) leads.push(lead(`客户${i}`, mobile('138', i)));
  for (let i = 0; i < batchDuplicates; i++) {
    const p = mobile('138', Math.floor(r() * uniqueNew));
    leads.push(lead(`重复${i}`, `+86 ${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`));
  }
  for (let i = 0; i < tableDuplicates; i++) {
    const p = existing[i]!.电话;
    leads.push(lead(`老客户${i}`, i % 2 ? `+86${p}` : p));
  }
  for (let i = 0; i < invalid; i++) leads.push(lead(`无效${i}`, INVALID[i % INVALID.length]!));
  // Fisher–Yates with the seeded generator: duplicates and invalid phones spread through the batch.
  for (let i = leads.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [leads[i], leads[j]] = [leads[j]!, leads[i]!];
  }
  return { leads, existing, counts: { uniqueNew, batchDuplicates, tableDuplicates, invalid } };
}

/** Every k-th lead (systematic sample of a shuffled list): the same mix, smaller. */
export function sampleLeads(leads: Lead[], size: number): Lead[] {
  if (size >= leads.length) return leads;
  const step = leads.length / size;
  return Array.from({ length: size }, (_, i) => leads[Math.floor(i * step)]!);
}
