// ZBDocument replies. The help page documents the business part under "body" (body.source.table,
// body.bill, body.message); seed 003's sample code reads it as "data" (data.table, data.value,
// data.text). Each emulator instance answers in one of the two so the adapter is tested on both.

export type ReplyShape = 'body' | 'data';
export type BodyKind = 'source' | 'bill' | 'message';

export interface EmuReply {
  http: number;
  json: unknown;
}

/**
 * V1 header.status values. Only 0 = success is documented; the others are emulator
 * assumptions (the adapter also recognises an invalid session by its message).
 */
export const V1_STATUS = { ok: 0, failed: 1, sessionInvalid: 2, rndcodeRequired: 3, badRequest: 4 } as const;

export function ok(shape: ReplyShape, kind: BodyKind, obj: unknown, message = '执行成功'): EmuReply {
  const header = { status: V1_STATUS.ok, message };
  return { http: 200, json: shape === 'body' ? { header, body: { [kind]: obj } } : { header, data: obj } };
}

export function fail(shape: ReplyShape, status: number, message: string): EmuReply {
  const header = { status, message };
  const msg = { title: '操作失败', text: message, url: '', wait: 0, target: '', uitype: 'alert' };
  return { http: 200, json: shape === 'body' ? { header, body: { message: msg } } : { header, data: msg } };
}

export function message(text: string, data: unknown = null) {
  return { title: text, text, url: '', wait: 0, target: '', uitype: 'message', data };
}

export function table(cols: string[], rows: unknown[][], page: { pageindex: number; pagesize: number; recordcount: number }) {
  return {
    type_: 'source',
    uitype: 'table',
    table: { cols: cols.map((id) => ({ id, title: id, dbtype: 'varchar' })), rows, page },
  };
}

/** V3 replies: {Code, Msg} plus the business part under the instance's key. */
export function v3(shape: ReplyShape, code: 200 | 300 | 400 | 500, msg: string, data?: unknown): EmuReply {
  return { http: 200, json: { Code: code, Msg: msg, ...(data === undefined ? {} : { [shape]: data }) } };
}
