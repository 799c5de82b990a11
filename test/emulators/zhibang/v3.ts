// V3-style customer endpoints: POST /webapi/v3/sales/customer/{add,edit}, plain JSON body,
// header ZBAPI-Token; reply {Code: 200 ok | 300 failed | 400 token invalid | 500, Msg}.
import type { EmuStore } from './store';
import { v3, type EmuReply, type ReplyShape } from './replies';

/** The documented V3 add fields. */
const V3_FIELDS = ['sort2', 'name', 'khid', 'sort', 'sort1', 'ly', 'area', 'trade', 'jz', 'person_name', 'mobile', 'email'];

interface V3Ctx {
  store: EmuStore;
  shape: ReplyShape;
  token: string | undefined;
}

function fieldsOf(raw: unknown, allowed: string[]): Record<string, string> | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return '请求体必须是JSON对象';
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!allowed.includes(k)) return `无法识别的参数[${k}]`;
    if (typeof v !== 'string' && typeof v !== 'number') return `参数[${k}]必须是字符串或数字`;
    out[k] = String(v).trim();
  }
  return out;
}

export function customerAdd(ctx: V3Ctx, raw: unknown): EmuReply {
  const { store, shape } = ctx;
  if (!store.userOf(ctx.token)) return v3(shape, 400, 'token无效或已过期');
  const f = fieldsOf(raw, V3_FIELDS);
  if (typeof f === 'string') return v3(shape, 300, f);
  if (f.sort2 !== '1' && f.sort2 !== '2') return v3(shape, 300, 'sort2必须是1(单位)或2(个人)');
  if (!f.sort) return v3(shape, 300, '客户分类不能为空');
  const intsort = Number(f.sort2) as 1 | 2;
  const { sort2: _t, ...fields } = f;
  const why = store.validateCustomer({ ord: -1, intsort }, fields, { strictMobile: true });
  if (why) return v3(shape, 300, why);
  const c = store.insert(intsort);
  store.commitCustomer(c, fields);
  return v3(shape, 200, '添加成功', { ord: c.ord, khid: c.fields.khid });
}

export function customerEdit(ctx: V3Ctx, raw: unknown): EmuReply {
  const { store, shape } = ctx;
  if (!store.userOf(ctx.token)) return v3(shape, 400, 'token无效或已过期');
  const f = fieldsOf(raw, ['ord', ...V3_FIELDS.filter((k) => k !== 'sort2')]);
  if (typeof f === 'string') return v3(shape, 300, f);
  const c = f.ord && /^\d+$/.test(f.ord) ? store.customers.get(Number(f.ord)) : undefined;
  if (!c || !c.saved) return v3(shape, 300, '记录不存在或已被删除');
  // V3 edit changes only the fields it is given.
  const { ord: _o, ...changes } = f;
  const merged = { ...c.fields, ...changes };
  const why = store.validateCustomer(c, merged, { strictMobile: changes.mobile !== undefined });
  if (why) return v3(shape, 300, why);
  store.commitCustomer(c, merged);
  return v3(shape, 200, '修改成功', { ord: c.ord, khid: c.fields.khid });
}
