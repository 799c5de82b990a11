// createDeal → 项目/商机 (salesmanage/chance/add.asp), seed 003's 商机自动创建. The field set
// (company = customer ord, title, money, date1, intro) follows the customer form's conventions;
// the help page lists the endpoint without its fields, so this is checked against the emulator only.
// Template values (template-fields.ts) go on top; company (the customer) stays Liaison's.
import type { Deal } from '../../model';
import type { RemoteRef } from '../port';
import type { TemplateFields } from '../template-values';
import { PATHS, type ZhibangClient } from './client';
import { clip } from './fields';
import { doneSchema, readState, type ConnectionStateStore } from './state';
import { templateFields } from './template-fields';
import { messageOf } from './wire';

export function dealIntro(d: Deal): string {
  const bits = [
    d.institution ? `机构：${d.institution}` : '',
    d.rate !== undefined ? `利率：${d.rate}%` : '',
    d.termMonths !== undefined ? `期限：${d.termMonths}个月` : '',
    d.commission !== undefined ? `佣金：${d.commission}` : '',
    `状态：${d.status}`,
  ];
  return clip(bits.filter(Boolean).join('；'), 4000);
}

export async function createDeal(
  client: ZhibangClient,
  state: ConnectionStateStore,
  ord: string,
  d: Deal,
  idempotencyKey: string,
  signal?: AbortSignal,
  templates: { now: () => number; fields?: TemplateFields | undefined } = { now: Date.now },
): Promise<RemoteRef> {
  const key = `deal:${idempotencyKey}`;
  const done = await readState(state, key, doneSchema);
  if (done) return done;
  const title = clip(d.institution ? `${d.product}（${d.institution}）` : d.product, 100);
  const date1 = d.closedAt !== undefined ? new Date(d.closedAt) : undefined;
  const templated = await templateFields(client, templates.now, 'deal', templates.fields, signal);
  const doc = await client.v1(
    PATHS.chanceAdd,
    '__sys_dosave',
    {
      company: ord,
      title,
      money: d.amount !== undefined ? d.amount.toFixed(2) : undefined,
      date1: date1 ? `${date1.getFullYear()}-${String(date1.getMonth() + 1).padStart(2, '0')}-${String(date1.getDate()).padStart(2, '0')}` : undefined,
      intro: dealIntro(d),
      ...templated,
    },
    { write: true, ...(signal ? { signal } : {}) },
  );
  const ref = { remoteId: messageOf(doc).id ?? `${ord}:${d.id}` };
  await state.set(key, ref);
  return ref;
}
