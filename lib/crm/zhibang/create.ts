// createCustomer, seed 003 方案A: the ERP allocates the customer and its 客户编号 (khid).
//
// 智邦 has no idempotency key, so a create is made safe to retry here:
// 1. what this idempotency key already did is remembered (state.ts): the allocated ord, and
//    whether the save was confirmed;
// 2. a retry first reconciles: the remembered ord is read back (saved → done; still a draft →
//    save it again with the SAME ord), and the ERP is searched by mobile / WeChat / khid, so a
//    customer that already exists (created by a colleague, or by us before a lost reply) is
//    returned instead of created twice;
// 3. only then allocate (V1) or add (V3), then read back khid.
// The user's template values (template-fields.ts) go on top of the mapped fields before any of
// this, so a refused template writes nothing.
import { CrmError } from '../errors';
import type { Customer } from '../../model';
import type { RemoteRef } from '../port';
import type { TemplateFields } from '../template-values';
import type { ZhibangClient } from './client';
import { customerFields, digits, splitPhone, V3_FIELDS } from './fields';
import { findByCode, findByName, findByPhone, findByWechat } from './find';
import { allocateOrd, mergeSave, readCustomer, saveCustomer } from './record';
import { enumFields } from './value';
import { createMemorySchema, readState, type ConnectionStateStore, type CreateMemory } from './state';
import { templateFields } from './template-fields';
import { v3Result } from './wire';

export interface CreateCtx {
  client: ZhibangClient;
  state: ConnectionStateStore;
  now: () => number;
}

type Row = Record<string, string>;

/** Local codes (the embedded CRM's, or a temporary L… code) are not ERP codes: a khid hit must agree on mobile or name. */
function agrees(r: Row, c: Customer): boolean {
  const mobiles = c.phones.map((p) => digits(p));
  return (!!r.mobile && mobiles.includes(digits(r.mobile))) || r.name === c.name || r.name === c.company || r.person_name === c.name;
}

/** The ERP customer this Liaison customer already is, if any. Several → conflict: the user must choose. */
async function existingFor(ctx: CreateCtx, c: Customer, pendingV3: boolean, signal?: AbortSignal, sent?: Record<string, string>): Promise<Row | undefined> {
  const { client } = ctx;
  const hits = new Map<string, Row>();
  for (const phone of c.phones) if (splitPhone(phone).mobile) for (const r of await findByPhone(client, phone, signal)) hits.set(r.ord!, r);
  if (c.wechatId) for (const r of await findByWechat(client, c.wechatId, signal)) hits.set(r.ord!, r);
  if (c.code) for (const r of await findByCode(client, c.code, signal)) if (agrees(r, c)) hits.set(r.ord!, r);
  if (!hits.size && pendingV3) {
    // A V3 add whose reply was lost carries no mobile/WeChat to find it by: accept the exact
    // name + contact pair we sent (only in this reconciliation, never for a fresh create).
    const fields = sent ?? customerFields(client.config, c, client.config.intsort, 'create');
    for (const r of await findByName(client, fields.name ?? c.name, signal)) {
      if (r.name === fields.name && (r.person_name ?? '') === (fields.person_name ?? r.person_name ?? '')) hits.set(r.ord!, r);
    }
  }
  if (hits.size > 1) {
    throw new CrmError('conflict', `智邦ERP: ${hits.size} customers match this contact (ords ${[...hits.keys()].join(', ')})`, {
      userMessage: { zh_CN: `智邦ERP 中有 ${hits.size} 个客户与此联系人匹配，请手动选择关联`, en: `${hits.size} Zhibang ERP customers match this contact; link one by hand` },
    });
  }
  return hits.values().next().value;
}

export async function createCustomer(ctx: CreateCtx, c: Customer, idempotencyKey: string, signal?: AbortSignal, templates?: TemplateFields): Promise<RemoteRef> {
  const { client, state } = ctx;
  const cfg = client.config;
  const key = `create:${idempotencyKey}`;
  const remember = (m: CreateMemory) => state.set(key, m);
  let mem = await readState(state, key, createMemorySchema);
  if (mem?.phase === 'done' && mem.ord) return { remoteId: mem.ord, ...(mem.khid ? { remoteCode: mem.khid } : {}) };

  const finish = async (ord: string, khid?: string): Promise<RemoteRef> => {
    const code = khid || (await readCustomer(client, ord, signal)).fields.khid || undefined;
    await remember({ phase: 'done', ord, ...(code ? { khid: code } : {}) });
    return { remoteId: ord, ...(code ? { remoteCode: code } : {}) };
  };

  // Values whose enum lookup fails are left out with a warning (value.ts); the customer is not held back.
  const warnings: string[] = [];
  const templated = await templateFields(client, ctx.now, 'customer', templates, signal, warnings);
  const fields = customerFields(cfg, c, cfg.intsort, 'create');
  const enums = await enumFields(client, c, 'create', ctx.now, signal);
  warnings.push(...enums.warnings);
  Object.assign(fields, enums.fields, templated);
  const warned = (ref: RemoteRef): RemoteRef => (warnings.length ? { ...ref, warnings: [...new Set(warnings)].slice(0, 20) } : ref);

  // Reconcile what an earlier attempt with this key left behind.
  if (mem?.ord) {
    const rec = await readCustomer(client, mem.ord, signal).catch((err: unknown) => {
      if (err instanceof CrmError && err.kind === 'not-found') return undefined; // the draft is gone
      throw err;
    });
    if (!rec) mem = undefined;
    else if (rec.saved) {
      if (mem.phase === 'saved' && cfg.apiStyle === 'v3') await mergeSave(client, rec, extrasOf(fields), signal);
      return warned(await finish(rec.ord, rec.fields.khid));
    }
  }

  const existing = await existingFor(ctx, c, mem?.phase === 'sending', signal, fields);
  if (existing) return warned(await finish(existing.ord!, existing.khid));

  if (cfg.apiStyle === 'v1') {
    let ord = mem?.phase === 'allocated' ? mem.ord : undefined;
    if (!ord) {
      ord = await allocateOrd(client, cfg.intsort, signal);
      await remember({ phase: 'allocated', ord });
    }
    await saveCustomer(client, ord, cfg.intsort, fields, signal);
    await remember({ phase: 'saved', ord });
    return warned(await finish(ord));
  }

  // V3: no allocation step; the add itself is the commit point.
  await remember({ phase: 'sending' });
  const body: Record<string, string> = { sort2: String(cfg.intsort), sort: cfg.v3Sort };
  for (const k of V3_FIELDS) if (fields[k] !== undefined && fields[k] !== '') body[k] = fields[k]!;
  const result = v3Result(await client.v3('sales/customer/add', body, { write: true, ...(signal ? { signal } : {}) }));
  let ord = result.ord;
  if (!ord) {
    // The installation does not return the id: find what we just added.
    ord = (await existingFor(ctx, c, true, signal, fields))?.ord;
    if (!ord) throw new CrmError('unknown-outcome', '智邦ERP: V3 add succeeded but the new customer was not found');
  }
  await remember({ phase: 'saved', ord });
  const extras = extrasOf(fields);
  if (Object.keys(extras).length) await mergeSave(client, await readCustomer(client, ord, signal), extras, signal);
  return warned(await finish(ord, result.khid));
}

/** Fields the V3 add does not take (weixinAcc, intro, product, phone, faren…): written by a V1 save. */
function extrasOf(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== '' && !(V3_FIELDS as readonly string[]).includes(k)));
}
