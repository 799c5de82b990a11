// Dataverse error bodies ({"error":{"code":"0x80040217","message":"..."}}, compose-http-requests-
// handle-errors) on top of the vendor-neutral classification: the code becomes vendorCode, and a
// 400 that names an attribute ("Could not find a property named 'x'", "The property 'x' does not
// exist on type …") says which one to the user.
import { z } from 'zod';
import { CrmError } from '../errors';

const bodySchema = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }).passthrough() }).passthrough();

export interface DataverseError {
  code?: string;
  message?: string;
}

export function dataverseError(body: unknown): DataverseError | undefined {
  const p = bodySchema.safeParse(body);
  if (!p.success) return undefined;
  return { ...(p.data.error.code ? { code: p.data.error.code } : {}), ...(p.data.error.message ? { message: p.data.error.message } : {}) };
}

/** The attribute a 400 names, when its message names one. */
export function attributeOf(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const m = /property (?:named )?'([^']+)'/i.exec(message) ?? /attribute (?:named )?'?([A-Za-z_][\w]*)'?/i.exec(message);
  return m?.[1];
}

/** The neutral error `e` (from http.ts) re-made with what Dataverse said. */
export function withDataverseDetail(e: CrmError, body: unknown): CrmError {
  const d = dataverseError(body);
  if (!d) return e;
  const message = `HTTP ${e.status ?? '?'} ${d.code ?? ''}: ${(d.message ?? 'no detail').slice(0, 300)}`;
  const base = { ...(e.status !== undefined ? { status: e.status } : {}), ...(d.code ? { vendorCode: d.code } : {}), ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}), cause: e };
  const attribute = e.kind === 'validation' ? attributeOf(d.message) : undefined;
  if (attribute) {
    return new CrmError('validation', message, {
      ...base,
      userMessage: { zh_CN: `Dynamics 365 拒绝了字段「${attribute}」：${d.message ?? ''}`.slice(0, 300), en: `Dynamics 365 refused the column "${attribute}": ${d.message ?? ''}`.slice(0, 300) },
    });
  }
  return new CrmError(e.kind, message, base);
}
