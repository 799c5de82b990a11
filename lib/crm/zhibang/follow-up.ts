// addFollowUp → 洽谈进展 (systemmanage/reply.asp?datatype=tel, cmdkey __sys_dosave).
// Method → sort (enum 98): 电话 481, 邮件 482, 面谈/上门 483, 微信/其他 484 (seed 003).
// intro is limited to 1000 characters: the summary (what seed 003 logs) or the content, clipped
// on a character boundary. A follow-up's next time becomes a pending schedule (plantype 1).
// Template values (template-fields.ts) go on top of the form; ord and lead stay Liaison's.
import type { FollowUp } from '../../model';
import type { RemoteRef } from '../port';
import type { TemplateFields } from '../template-values';
import { PATHS, type ZhibangClient } from './client';
import { clip } from './fields';
import { doneSchema, readState, type ConnectionStateStore } from './state';
import { templateFields } from './template-fields';
import { messageOf } from './wire';

export const METHOD_SORT: Record<FollowUp['method'], number> = { 电话: 481, 邮件: 482, 面谈: 483, 微信: 484, 其他: 484 };
export const INTRO_MAX = 1000;
const SCHEDULE_MS = 60 * 60_000;

const pad = (n: number) => String(n).padStart(2, '0');
/** The ERP's local "YYYY-MM-DD HH:mm:ss" (it stores wall-clock time, as its web forms do). */
export function erpDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function followUpIntro(f: FollowUp): string {
  const parts = [f.result ? `【${f.result}】` : '', (f.summary?.trim() || f.content.trim()) ?? ''].join('');
  const next = f.nextAction?.trim() ? `\n下次行动：${f.nextAction.trim()}` : '';
  return clip(`${parts}${next}`.trim() || f.method, INTRO_MAX);
}

export async function addFollowUp(
  client: ZhibangClient,
  state: ConnectionStateStore,
  ord: string,
  f: FollowUp,
  idempotencyKey: string,
  signal?: AbortSignal,
  templates: { now: () => number; fields?: TemplateFields | undefined } = { now: Date.now },
): Promise<RemoteRef> {
  // A follow-up the ERP confirmed is not sent again. (One whose reply was lost cannot be
  // reconciled: the documented API lists no follow-ups, so that retry may log it twice.)
  const key = `followUp:${idempotencyKey}`;
  const done = await readState(state, key, doneSchema);
  if (done) return done;
  const schedule =
    f.nextAt !== undefined
      ? { plantype: '1', '@title1': clip(f.nextAction?.trim() || '跟进客户', 100), '@ret_0': erpDateTime(f.nextAt), '@ret_1': erpDateTime(f.nextAt + SCHEDULE_MS), '@remind': '0' }
      : { plantype: '0' };
  const templated = await templateFields(client, templates.now, 'followUp', templates.fields, signal);
  const doc = await client.v1(
    PATHS.reply,
    '__sys_dosave',
    { ord, intro: followUpIntro(f), sort: METHOD_SORT[f.method], lead: '0', ...schedule, ...templated },
    { write: true, searchParams: { datatype: 'tel' }, ...(signal ? { signal } : {}) },
  );
  const ref = { remoteId: messageOf(doc).id ?? `${ord}:${f.id}` };
  await state.set(key, ref);
  return ref;
}
