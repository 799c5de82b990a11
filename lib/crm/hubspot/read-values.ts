// HubSpot property values → Liaison terms, for the read side (the inverse of values.ts).
// HubSpot returns every property value as a string (or null when the property is defined but
// empty; a property the portal does not define is left out of the reply): numbers as decimal
// strings, datetimes as ISO 8601 (v3 replies) or epoch-ms digits (how they are written),
// enumerations by their internal value, multi-checkbox options joined with ';'.
// Each value is converted back the way values.ts wrote it; one that cannot be interpreted is left
// out and named in `unreadable`, never guessed (port.ts RemoteFieldValues).
import { customerSchema, DEAL_STATUSES, FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, type DealStatus, type FollowUp } from '../../model';
import { normalizePhone } from '../../phone';
import type { MappableCustomerField, RemoteFieldValues } from '../port';
import type { HubspotConfig } from './config';
import { DEAL_STAGES, DEFAULT_STAGE_MAP, WON_STAGE, customerNames } from './values';

type Props = Record<string, string | null>;

/** A HubSpot datetime value (epoch-ms digits or ISO 8601) as epoch ms; undefined when it is neither. */
export function hubspotTime(v: string | null | undefined): number | undefined {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const s = v.trim();
  if (/^\d{1,15}$/.test(s)) return Number(s);
  // ISO 8601 with a date part; Date.parse alone would take "March 5" or "5".
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) || t < 0 ? undefined : t;
}

/** The properties a contact read asks for: every mapped one, plus what the conversions need. */
export function contactReadProperties(config: Pick<HubspotConfig, 'mapping'>): string[] {
  const names = customerNames(config);
  const out = new Set<string>(['lastmodifieddate', 'createdate']);
  for (const [key, name] of Object.entries(names) as [MappableCustomerField, string][]) {
    out.add(name);
    if (key === 'name' && name === 'firstname') out.add('lastname');
    if (key === 'phones' && name !== 'mobilephone') out.add('mobilephone');
    if (key === 'stage' && name === 'hs_lead_status') out.add('lifecyclestage');
  }
  return [...out];
}

const clean = (v: string | null | undefined): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * hs_lead_status → the Liaison stage it was written from (DEFAULT_STAGE_MAP with the connection's
 * stage_map over it, inverted). Several stages share OPEN_DEAL by default: 成交 is told apart by
 * lifecyclestage = customer (values.ts moves it there); the others stay ambiguous and are
 * reported unreadable rather than picked.
 */
export function stageFromLeadStatus(status: string, lifecyclestage: string | undefined, stageMap: Record<string, string>): string | undefined {
  const map = { ...DEFAULT_STAGE_MAP, ...stageMap };
  const candidates = Object.keys(map).filter((stage) => map[stage] === status);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) return undefined;
  const won = lifecyclestage === 'customer';
  if (won && candidates.includes(WON_STAGE)) return WON_STAGE;
  const open = candidates.filter((s) => s !== WON_STAGE);
  return open.length === 1 ? open[0] : undefined;
}

type Read = { ok: true; value: unknown } | { ok: false };
const ok = (value: unknown): Read => ({ ok: true, value });
const BAD: Read = { ok: false };

function readField(key: MappableCustomerField, name: string, p: Props, config: Pick<HubspotConfig, 'stageMap'>): Read {
  const v = clean(p[name]);
  switch (key) {
    case 'name': {
      const parts = name === 'firstname' ? [v, clean(p.lastname)].filter(Boolean) : v ? [v] : [];
      return ok(parts.length ? parts.join(' ') : null);
    }
    case 'phones': {
      const raw = [v, name !== 'mobilephone' ? clean(p.mobilephone) : undefined].filter((x): x is string => !!x);
      const phones = [...new Set(raw.map((x) => normalizePhone(x) ?? x))];
      return ok(phones.length ? phones : null);
    }
    case 'stage': {
      if (!v) return ok(null);
      if (name !== 'hs_lead_status') return ok(v);
      const stage = stageFromLeadStatus(v, clean(p.lifecyclestage), config.stageMap);
      return stage ? ok(stage) : BAD;
    }
    case 'tags': {
      const tags = (v ?? '').split(';').map((t) => t.trim()).filter(Boolean);
      return ok(tags.length ? [...new Set(tags)] : null);
    }
    case 'nextFollowUpAt': {
      if (!v) return ok(null);
      const t = hubspotTime(v);
      return t === undefined ? BAD : ok(t);
    }
    case 'amount': {
      if (!v) return ok(null);
      if (!/^\d+(\.\d+)?$/.test(v)) return BAD;
      return ok(Number(v));
    }
    default:
      return ok(v ?? null);
  }
}

/**
 * A contact's properties as Liaison fields. A mapped property absent from the reply (the portal
 * does not define it) is unreadable; a value the model would refuse (too long, not an
 * 意向等级) likewise.
 */
export function contactFields(p: Props, config: Pick<HubspotConfig, 'mapping' | 'stageMap'>): { fields: RemoteFieldValues; unreadable: string[] } {
  const names = customerNames(config);
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const [key, name] of Object.entries(names) as [MappableCustomerField, string][]) {
    if (!(name in p)) {
      unreadable.push(key);
      continue;
    }
    const r = readField(key, name, p, config);
    if (!r.ok) {
      unreadable.push(key);
      continue;
    }
    if (r.value !== null && !customerSchema.shape[key].safeParse(r.value).success) {
      unreadable.push(key);
      continue;
    }
    fields[key] = r.value;
  }
  return { fields: fields as RemoteFieldValues, unreadable };
}

// ---- Notes (follow-ups) ----

/** The last line of every note Liaison writes: the follow-up's Liaison id (values.ts noteMarker). */
const MARKER = /^\[Liaison ([A-Za-z0-9_-]{1,100})\]$/;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
/** hs_note_body is HTML (HubSpot's editor wraps lines in <p>, Liaison joins them with <br>): plain text lines. */
export function noteText(html: string): string[] {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      const lower = e.toLowerCase();
      if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
      if (lower.startsWith('#') && lower !== '#39') return String.fromCodePoint(Number(lower.slice(1)));
      return ENTITIES[lower] ?? m;
    });
  return text.split('\n').map((l) => l.trim());
}

export interface NoteContent {
  content: string;
  method?: FollowUp['method'];
  result?: FollowUp['result'];
  nextAction?: string;
  nextAt?: number;
  liaisonKey?: string;
}

/** A note body read back: the labelled lines values.ts writes become fields again; the rest is the content. */
export function parseNoteBody(html: string): NoteContent {
  const lines = noteText(html);
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  const out: NoteContent = { content: '' };
  const marker = lines.length ? MARKER.exec(lines[lines.length - 1]!) : null;
  if (marker) {
    out.liaisonKey = marker[1];
    lines.pop();
  }
  const rest: string[] = [];
  for (const line of lines) {
    const m = /^(跟进方式|跟进结果|下次行动|下次时间)：(.+)$/.exec(line);
    const label = m?.[1];
    const value = m?.[2]?.trim() ?? '';
    if (label === '跟进方式' && (FOLLOW_UP_METHODS as readonly string[]).includes(value)) out.method = value as FollowUp['method'];
    else if (label === '跟进结果' && (FOLLOW_UP_RESULTS as readonly string[]).includes(value)) out.result = value as FollowUp['result'];
    else if (label === '下次行动' && value) out.nextAction = value;
    else if (label === '下次时间' && hubspotTime(value) !== undefined) out.nextAt = hubspotTime(value);
    else rest.push(line);
  }
  out.content = rest.join('\n').trim();
  return out;
}

// ---- Deals ----

// Computed when used: values.ts and this module import each other.
const dealStageStatus = (stage: string): DealStatus | undefined => Object.entries(DEAL_STAGES).find(([, s]) => s === stage)?.[0] as DealStatus | undefined;
/** The default pipeline's open stages (HubSpot's "Sales Pipeline"): any of them is 进行中. */
const DEFAULT_OPEN_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent'];

/**
 * dealstage → Liaison status: the stages values.ts writes (closedwon 已放款, closedlost 已取消,
 * qualifiedtobuy 进行中) and the default pipeline's other open stages (进行中). A stage of
 * another pipeline (numeric ids, won/lost known only from the pipeline's metadata) is undefined.
 */
export function dealStatus(stage: string | undefined, pipeline: string | undefined): DealStatus | undefined {
  if (!stage) return undefined;
  if (pipeline && pipeline !== 'default') return undefined;
  const s = dealStageStatus(stage) ?? (DEFAULT_OPEN_STAGES.includes(stage) ? '进行中' : undefined);
  return s && (DEAL_STATUSES as readonly string[]).includes(s) ? s : undefined;
}
