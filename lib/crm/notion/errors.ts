// Notion error bodies {object:"error", status, code, message, request_id, additional_data?}
// (developers.notion.com/reference/status-codes) → CrmError. http.ts has classified the HTTP
// status; the body's code decides where the status alone is not enough, and the message is
// redacted (Notion echoes values: "… should be a valid email, instead was `x@y`").
import { CrmError, type CrmErrorKind } from '../errors';

export const NOTION_ERROR_CODES = [
  'invalid_json', 'invalid_request_url', 'invalid_request', 'invalid_grant', 'validation_error', 'missing_version',
  'unauthorized', 'restricted_resource', 'object_not_found', 'conflict_error', 'rate_limited',
  'internal_server_error', 'bad_gateway', 'service_unavailable', 'database_connection_unavailable', 'gateway_timeout', 'service_overload',
] as const;

export function redact(s: string): string {
  return s
    .replace(/[^\s"'`<>()[\]{},;:]+@[^\s"'`<>()[\]{},;:]+/g, '<email>')
    .replace(/(?<![\w-])\+?\d[\d\s().-]{5,}\d/g, '<number>')
    .slice(0, 300);
}

/** The property a validation_error names: "X is not a property that exists.", "X is expected to be …", "body.properties.X…". */
export function propertyOf(message: string): string | undefined {
  return (
    /^(.+?) is not a property that exists/.exec(message)?.[1] ??
    /^(.+?) is expected to be /.exec(message)?.[1] ??
    /body\.properties\.(?:\[?"?)([^."\]]+)/.exec(message)?.[1] ??
    /Could not find property with name or id: (.+?)\.?$/.exec(message)?.[1]
  )?.trim();
}

/** Re-labels http.ts's CrmError with what Notion's body says. */
export function notionError(e: CrmError, write: boolean): CrmError {
  const code = e.vendorCode;
  const detail = e.message.replace(/^HTTP \d+(?: [\w-]+)?: /, '');
  const message = `Notion ${e.status ?? ''} ${code ?? ''}: ${redact(detail)}`.replace(/\s+/g, ' ');
  const base = {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(code ? { vendorCode: code } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    cause: e,
  };
  const make = (kind: CrmErrorKind, userMessage?: { zh_CN: string; en: string }) => new CrmError(kind, message, { ...base, ...(userMessage ? { userMessage } : {}) });
  switch (code) {
    case 'unauthorized':
      return make('auth', {
        zh_CN: 'Notion 拒绝了集成密钥（401 unauthorized）：密钥错误、已重新生成或集成已删除。请在 notion.so/profile/integrations 复制新的密钥并重新连接',
        en: 'Notion rejected the integration secret (401 unauthorized): it is wrong, was regenerated, or the integration was deleted. Copy a new secret at notion.so/profile/integrations and reconnect',
      });
    case 'restricted_resource':
      return make('auth', {
        zh_CN: 'Liaison 集成没有这项权限（403 restricted_resource）：请在集成的「功能」里勾选读取/更新/插入内容和读取/插入评论',
        en: 'The Liaison integration lacks a capability (403 restricted_resource): tick Read/Update/Insert content and Read/Insert comments under the integration\'s "Capabilities"',
      });
    case 'object_not_found':
      return make('not-found', {
        zh_CN: 'Notion 找不到这个页面或数据库，或它没有连接到 Liaison 集成（数据库「…」→「连接」→ 添加 Liaison）',
        en: 'Notion cannot find this page or database, or it is not connected to the Liaison integration ("…" → "Connections" → add Liaison)',
      });
    case 'validation_error': {
      const prop = propertyOf(detail);
      return make('validation', prop
        ? { zh_CN: `Notion 拒绝了属性「${prop}」的值，请检查字段映射（属性名和类型），或点「添加 Liaison 需要的属性」`, en: `Notion refused the value of the property "${prop}": check the field mapping (name and type), or click "Add the properties Liaison needs"` }
        : undefined);
    }
    case 'conflict_error':
      // "Transaction could not be completed, potentially due to a data collision. Make sure the
      // parameters are up to date and try again." Nothing was saved; a retry is Notion's advice.
      return make('retryable');
    case 'rate_limited':
      return make('rate-limited');
    case 'internal_server_error':
    case 'bad_gateway':
    case 'gateway_timeout':
      return make(write ? 'unknown-outcome' : 'retryable');
    case 'service_unavailable':
    case 'database_connection_unavailable':
    case 'service_overload':
      return make('retryable');
    case 'invalid_json':
    case 'invalid_request_url':
    case 'invalid_request':
    case 'missing_version':
      return make('validation');
    default:
      return new CrmError(e.kind, message, base);
  }
}
