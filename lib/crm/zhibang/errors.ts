// 智邦 answers most failures with HTTP 200 and a status in the body: header.status != 0 (V1)
// or Code 300/400/500 (V3). These turn into CrmError kinds; an invalid session is its own
// signal (TokenInvalid) because the client logs in again and replays the call once.
import { CrmError, type CrmErrorKind } from '../errors';

/** The session was refused: log in again and replay once (never surfaces to the outbox). */
export class TokenInvalid extends Error {
  override readonly name = 'TokenInvalid';
}

/**
 * Only status 0 (success) is documented for V1; an invalid or expired session is recognised by
 * the emulator's status 2 or, since installations differ, by its wording.
 */
const SESSION_STATUS = 2;
const SESSION_WORDS = /session|会话|登录已?超时|未登录|重新登录|token/i;
const NOT_FOUND_WORDS = /记录不存在|已被删除/;
const DUPLICATE_WORDS = /已存在|重复/;

export function rejected(kind: CrmErrorKind, serverMessage: string, vendorCode: string): CrmError {
  const msg = serverMessage.slice(0, 200) || '（无说明）';
  return new CrmError(kind, `智邦ERP ${vendorCode}: ${msg}`, {
    vendorCode,
    userMessage: { zh_CN: `智邦ERP 拒绝了该操作：${msg}`, en: `Zhibang ERP refused it: ${msg}` },
  });
}

function byMessage(message: string, vendorCode: string): CrmError {
  if (NOT_FOUND_WORDS.test(message)) return rejected('not-found', message, vendorCode);
  if (DUPLICATE_WORDS.test(message)) return rejected('conflict', message, vendorCode);
  return rejected('validation', message, vendorCode);
}

export function v1Failure(status: number, message: string | undefined): CrmError | TokenInvalid {
  const m = message ?? '';
  if (status === SESSION_STATUS || SESSION_WORDS.test(m)) return new TokenInvalid(m);
  return byMessage(m, `status ${status}`);
}

export function v3Failure(code: number, message: string | undefined, write: boolean): CrmError | TokenInvalid {
  const m = message ?? '';
  if (code === 400) return new TokenInvalid(m);
  if (code === 300) return byMessage(m, `Code ${code}`);
  if (code === 500) {
    // The ERP failed while handling it: a write may have reached the database.
    return new CrmError(write ? 'unknown-outcome' : 'retryable', `智邦ERP Code 500: ${m.slice(0, 200)}`, { vendorCode: 'Code 500' });
  }
  return new CrmError('validation', `智邦ERP: unexpected Code ${code}: ${m.slice(0, 200)}`, { vendorCode: `Code ${code}` });
}
