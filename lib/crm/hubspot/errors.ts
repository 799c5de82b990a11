// HubSpot error bodies {status:'error', message, correlationId, category, subCategory?, errors?,
// context?, policyName?} → CrmError. http.ts has classified the status already; this adds what
// only the body says (missing scopes, which property, the existing contact's id, which rate
// policy) and rewrites the message so it never carries customer data: HubSpot echoes invalid
// values ("x@y is not a valid email"), so only property names, codes and ids are kept.
import { z } from 'zod';
import { CrmError, type CrmErrorKind } from '../errors';

export const errorBodySchema = z.object({
  status: z.string().optional(),
  message: z.string().optional().default(''),
  correlationId: z.string().optional(),
  category: z.string().optional(),
  subCategory: z.string().optional(),
  policyName: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  errors: z
    .array(z.object({ message: z.string().optional(), code: z.string().optional(), context: z.record(z.string(), z.unknown()).optional() }).passthrough())
    .optional(),
});
export type HubspotErrorBody = z.infer<typeof errorBodySchema>;

export function parseErrorBody(body: unknown): HubspotErrorBody | undefined {
  const p = errorBodySchema.safeParse(body);
  return p.success ? p.data : undefined;
}

/** Emails and phone-like digit runs out; HubSpot record ids after "ID: " stay (they are ours to act on). */
export function redact(s: string): string {
  return s
    .replace(/[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<!ID: ?)(?<![\d+])\+?\d[\d\s().-]{5,}\d/g, '<number>')
    .slice(0, 300);
}

/** "Contact already exists. Existing ID: 123" (409 on create, CONFLICT item in a batch). */
export function existingIdOf(e: { message?: string; vendorCode?: string } | HubspotErrorBody): string | undefined {
  return /Existing ID:\s*(\d+)/i.exec(e.message ?? '')?.[1];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** Property-level problems: errors[].code + context.propertyName, else the JSON HubSpot embeds in `message`. */
export function propertyProblems(b: HubspotErrorBody): { name: string; code: string }[] {
  const out: { name: string; code: string }[] = [];
  for (const e of b.errors ?? []) {
    for (const name of strings(e.context?.propertyName)) out.push({ name, code: e.code ?? 'INVALID' });
  }
  if (out.length) return out;
  const re = /\{[^{}]*?"error"\s*:\s*"([A-Z_]+)"[^{}]*?"name"\s*:\s*"([^"]+)"[^{}]*\}/g;
  for (const m of b.message.matchAll(re)) out.push({ code: m[1]!, name: m[2]! });
  return out;
}

export function requiredScopes(b: HubspotErrorBody): string[] {
  const found = new Set<string>();
  for (const e of b.errors ?? []) for (const s of [...strings(e.context?.requiredScopes), ...strings(e.context?.requiredGranularScopes)]) found.add(s);
  for (const s of strings(b.context?.requiredScopes)) found.add(s);
  return [...found];
}

/** One HubSpot error (a whole reply, or one item of a batch) as a CrmError of `kind`. */
export function hubspotError(kind: CrmErrorKind, b: HubspotErrorBody, opts: { status?: number; retryAfterMs?: number; cause?: unknown } = {}): CrmError {
  const props = propertyProblems(b);
  const vendorCode = props[0]?.code ?? b.subCategory ?? b.category;
  const detail = props.length ? props.map((p) => `${p.name}: ${p.code}`).join(', ') : redact(b.message || 'no detail');
  const message = `HubSpot${opts.status ? ` ${opts.status}` : ''}${b.category ? ` ${b.category}` : ''}: ${detail}${b.correlationId ? ` (correlationId ${b.correlationId})` : ''}`;
  const base = {
    ...(opts.status !== undefined ? { status: opts.status } : {}),
    ...(vendorCode ? { vendorCode } : {}),
    ...(opts.retryAfterMs !== undefined ? { retryAfterMs: opts.retryAfterMs } : {}),
    ...(opts.cause !== undefined ? { cause: opts.cause } : {}),
  };
  if (kind === 'auth' && opts.status === 401) {
    return new CrmError('auth', message, {
      ...base,
      // Private app tokens don't expire on a timer; a 401 is not a refresh signal: the token was
      // rotated, deleted or mistyped, and only the user can paste a new one.
      userMessage: {
        zh_CN: 'HubSpot 拒绝了访问令牌（401）：令牌错误、已轮换或私有应用已删除。请在 设置 → 集成 → 私有应用 中复制新的令牌并重新连接',
        en: 'HubSpot rejected the access token (401): it is wrong, was rotated, or the private app was deleted. Copy a new token from Settings → Integrations → Private Apps and reconnect',
      },
    });
  }
  if (kind === 'auth') {
    const scopes = requiredScopes(b);
    const list = scopes.length ? scopes.join(', ') : 'crm.objects.contacts.read / crm.objects.contacts.write';
    return new CrmError('auth', message, {
      ...base,
      userMessage: {
        zh_CN: `HubSpot 私有应用缺少权限范围：${list}。请在私有应用的「范围」中勾选后重新复制令牌`,
        en: `The HubSpot private app lacks the scope(s) ${list}. Add them under the private app's "Scopes" and copy the token again`,
      },
    });
  }
  if (kind === 'validation' && props.length) {
    const missing = props.filter((p) => p.code === 'PROPERTY_DOESNT_EXIST').map((p) => p.name);
    const bad = props.filter((p) => p.code !== 'PROPERTY_DOESNT_EXIST').map((p) => p.name);
    const zh = [...(missing.length ? [`HubSpot 中没有属性 ${missing.join('、')}，请检查字段映射，或在连接设置中点「创建 Liaison 自定义属性」`] : []), ...(bad.length ? [`属性 ${bad.join('、')} 的值不被 HubSpot 接受`] : [])];
    const en = [...(missing.length ? [`HubSpot has no property ${missing.join(', ')}: check the field mapping or click "Create the Liaison custom properties"`] : []), ...(bad.length ? [`HubSpot refused the value of ${bad.join(', ')}`] : [])];
    return new CrmError('validation', message, { ...base, userMessage: { zh_CN: zh.join('；'), en: en.join('; ') } });
  }
  return new CrmError(kind, message, base);
}

/** A batch item's error category → kind (the reply itself was 200/207). */
export function kindOfCategory(category: string | undefined): CrmErrorKind {
  switch (category) {
    case 'CONFLICT':
      return 'conflict';
    case 'OBJECT_NOT_FOUND':
      return 'not-found';
    case 'RATE_LIMITS':
      return 'rate-limited';
    case 'INVALID_AUTHENTICATION':
    case 'EXPIRED_AUTHENTICATION':
    case 'MISSING_SCOPES':
      return 'auth';
    default:
      return 'validation';
  }
}
