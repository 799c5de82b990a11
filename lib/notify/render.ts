// Renders a notification template ({{…}} from lib/mapping's language, over the same context a
// CRM mapping sees) with each substituted VALUE passed through the vendor's escaper, while the
// template's own literal text is kept as written. lib/mapping renders a whole template at once,
// so each expression part is rendered alone (a one-part template) and escaped here.
import { compileTemplate, renderTemplate, type CompiledTemplate, type LookupTables, type MappingContext } from '../mapping';
import type { Escaper } from './escape';

export class TemplateError extends Error {
  constructor(readonly issues: string[]) {
    super(`通知模板有误 / invalid notification template: ${issues.join('; ')}`);
    this.name = 'TemplateError';
  }
}

export function compileNotifyTemplate(source: string, lookups: LookupTables = {}): CompiledTemplate {
  const { template, issues } = compileTemplate(source, lookups);
  if (!template) throw new TemplateError(issues);
  return template;
}

export function renderEscaped(t: CompiledTemplate, ctx: MappingContext, escape: Escaper, lookups: LookupTables = {}): string {
  return t.parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const one: CompiledTemplate = { source: '', parts: [p], variables: [] };
      return escape(String(renderTemplate(one, ctx, lookups)));
    })
    .join('');
}

const encoder = new TextEncoder();
export const utf8Bytes = (s: string) => encoder.encode(s).length;

/**
 * Cuts text to a vendor's limit (bytes for WeCom/Feishu, characters for Slack) with an ellipsis
 * inside the limit, never in the middle of a code point, an escape (\x) or an entity (&lt;).
 */
export function fitTo(s: string, limit: number, measure: (s: string) => number = (x) => Array.from(x).length): string {
  if (measure(s) <= limit) return s;
  const chars = Array.from(s);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('') + '…') <= limit) lo = mid;
    else hi = mid - 1;
  }
  let cut = chars.slice(0, lo).join('');
  cut = cut.replace(/&[a-z]{0,4}$/, '').replace(/(^|[^\\])\\$/, '$1').replace(/<\u200B?$/, '');
  return cut + '…';
}
