// Liaison records ↔ Salesforce fields. The customer mapping is spec.defaultMapping overridden by
// connection.settings.mapping; Lead-only fields (Company, Status) are dropped for Contacts.
// Lead requires LastName and Company: a person without a company gets their own name as the
// company (Salesforce's usual B2C convention) or 个人客户.
import { queryMatches } from '../query-match';
import type { Customer, Deal, FollowUp } from '../../model';
import type { CustomerPatch, CustomerQuery, RemoteCustomer, TaskInput } from '../port';
import { normalizePhone } from '../../phone';
import type { CustomerObject, SalesforceConfig } from './config';
import { sfDate } from './client';
import { salesforceSpec } from './spec';

export const PERSONAL_COMPANY = '个人客户';

/** Liaison's default stages → the standard Lead Status picklist (restricted in many orgs). */
export const DEFAULT_STAGE_MAP: Record<string, string> = {
  新客户: 'Open - Not Contacted',
  已联系: 'Working - Contacted',
  跟进中: 'Working - Contacted',
  方案沟通: 'Working - Contacted',
  谈判中: 'Working - Contacted',
  // 成交 is reached by converting the lead in Salesforce, which Liaison leaves to the user.
  流失: 'Closed - Not Converted',
};

/** Lead fields a Contact does not have. */
export const LEAD_ONLY = new Set(['Company', 'Status']);

export function customerMapping(config: Pick<SalesforceConfig, 'mapping'>): Record<string, string> {
  return { ...salesforceSpec.defaultMapping.customer, ...(config.mapping?.customer ?? {}) } as Record<string, string>;
}

/** "John Smith" → First John, Last Smith; Chinese names (no space) stay whole in LastName. */
export function splitName(name: string): { FirstName?: string; LastName: string } {
  const n = name.trim();
  const i = n.lastIndexOf(' ');
  if (i <= 0) return { LastName: n || PERSONAL_COMPANY };
  return { FirstName: n.slice(0, i).trim(), LastName: n.slice(i + 1) };
}

type Fields = Record<string, string | number | boolean | null>;

/** Fields for a create ('create': required ones filled) or an update ('patch': only what the patch carries). */
export function customerFields(c: CustomerPatch, object: CustomerObject, config: Pick<SalesforceConfig, 'mapping' | 'stageMap'>, mode: 'create' | 'patch'): Fields {
  const map = customerMapping(config);
  const out: Fields = {};
  const set = (key: keyof CustomerPatch, value: string | number | null | undefined) => {
    const field = map[key as string];
    if (!field || (object !== 'Lead' && LEAD_ONLY.has(field))) return;
    if (value === undefined) return;
    out[field] = typeof value === 'string' ? value.slice(0, 255) : value;
  };
  if (c.name !== undefined) {
    if (map.name === 'LastName') Object.assign(out, { FirstName: null, ...splitName(c.name) });
    else set('name', c.name);
  }
  if (c.phones !== undefined) {
    set('phones', c.phones[0] ?? null);
    // The second number goes to the other phone field, when the first is the mapped one.
    if (map.phones === 'MobilePhone') out.Phone = c.phones[1] ?? null;
    else if (map.phones === 'Phone') out.MobilePhone = c.phones[1] ?? null;
  }
  if (c.email !== undefined) set('email', c.email || null);
  if (c.source !== undefined) set('source', c.source);
  if (c.stage !== undefined) {
    const status = { ...DEFAULT_STAGE_MAP, ...(config.stageMap ?? {}) }[c.stage];
    if (status) set('stage', status);
  }
  if (c.notes !== undefined) {
    const field = map.notes;
    if (field) out[field] = c.notes.slice(0, 32_000);
  }
  for (const k of ['wechatId', 'product', 'intentLevel', 'grade', 'owner', 'keyword', 'code'] as const) if (map[k] && c[k] !== undefined) set(k, c[k] as string);
  if (map.amount && c.amount !== undefined) out[map.amount] = c.amount;
  if (map.company) {
    if (c.company !== undefined) set('company', c.company || null);
    if (mode === 'create' && object === 'Lead' && !out[map.company]) out[map.company] = (c.name?.trim() || PERSONAL_COMPANY).slice(0, 255);
  }
  if (mode === 'create' && object === 'Lead' && out.Company === undefined) out.Company = (c.name?.trim() || PERSONAL_COMPANY).slice(0, 255);
  if (mode === 'create') for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

/**
 * A completed Task logging the follow-up on the Lead/Contact (WhoId). No TaskSubtype: it can be
 * set on insert only, and the same body must also serve the upsert that updates after a retry.
 */
export function followUpFields(whoId: string, f: FollowUp): Fields {
  const subject = `${f.method}跟进${f.result ? `：${f.result}` : ''}`;
  const description = [
    f.summary ? `摘要：${f.summary}` : '',
    f.content,
    f.nextAction ? `下次行动：${f.nextAction}` : '',
    f.nextAt ? `下次时间：${sfDate(f.nextAt)}` : '',
    f.by ? `跟进人：${f.by}` : '',
  ].filter(Boolean).join('\n');
  return {
    Subject: subject.slice(0, 255),
    Description: description.slice(0, 32_000),
    ActivityDate: sfDate(f.at),
    Status: 'Completed',
    Priority: 'Normal',
    WhoId: whoId,
  };
}

/** An open Task with a due date and a reminder at the due time. */
export function taskFields(whoId: string, t: TaskInput): Fields {
  return {
    Subject: t.title.slice(0, 255),
    ...(t.note ? { Description: t.note.slice(0, 32_000) } : {}),
    ActivityDate: sfDate(t.dueAt),
    Status: 'Not Started',
    Priority: 'Normal',
    IsReminderSet: true,
    ReminderDateTime: new Date(t.dueAt).toISOString(),
    WhoId: whoId,
  };
}

const DEAL_STAGE: Record<Deal['status'], string> = { 进行中: 'Prospecting', 已放款: 'Closed Won', 已取消: 'Closed Lost' };
const DAY = 86_400_000;

/**
 * An Opportunity. Salesforce links Opportunities to Accounts, not to Leads (and WhatId/WhoId
 * rules forbid the Task trick), so the Description names the Lead/Contact it came from; the
 * lead is NOT converted — conversion creates Account/Contact and is the salesperson's decision.
 */
export function dealFields(whoId: string, d: Deal): Fields {
  const name = [d.product, d.institution].filter(Boolean).join(' · ');
  const lines = [
    d.institution ? `银行/机构：${d.institution}` : '',
    d.rate !== undefined ? `利率：${d.rate}%` : '',
    d.termMonths !== undefined ? `期限：${d.termMonths} 个月` : '',
    d.commission !== undefined ? `佣金：${d.commission}` : '',
    `客户（Liaison）：${whoId}`,
  ].filter(Boolean);
  return {
    Name: name.slice(0, 120),
    StageName: DEAL_STAGE[d.status],
    CloseDate: sfDate(d.closedAt ?? d.createdAt + 30 * DAY),
    ...(d.amount !== undefined ? { Amount: d.amount } : {}),
    Description: lines.join('\n').slice(0, 32_000),
  };
}

export interface SfPerson {
  Id: string;
  Name?: string | null;
  Email?: string | null;
  Phone?: string | null;
  MobilePhone?: string | null;
  Company?: string | null;
  attributes?: { type?: string };
}

/** A Lead/Contact row as a RemoteCustomer, with the query keys it really matches. */
export function toRemoteCustomer(r: SfPerson, q: CustomerQuery): RemoteCustomer {
  const phones = [r.MobilePhone, r.Phone].filter((p): p is string => !!p);
  // People type numbers into Salesforce in any format: the last digits count too. No 客户编号 here.
  const matchedBy = queryMatches({ ...q, code: undefined }, { phones, ...(r.Email ? { email: r.Email } : {}), name: r.Name ?? '' }, { phoneSuffix: true });
  return {
    remoteId: r.Id,
    name: r.Name ?? '',
    phones: phones.map((p) => normalizePhone(p) ?? p),
    ...(r.Email ? { email: r.Email } : {}),
    ...(r.Company ? { company: r.Company } : {}),
    matchedBy,
  };
}
