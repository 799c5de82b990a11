// addFollowUp → 洽谈进展 (systemmanage/reply.asp?datatype=tel, cmdkey __sys_dosave).
// Method → sort (enum 98): 电话 481, 邮件 482, 面谈/上门 483, 微信/其他 484 (seed 003).
// intro is limited to 1000 characters: the summary (what seed 003 logs) or the content, clipped
// on a character boundary. A follow-up's next time becomes a pending schedule (plantype 1).
// Template values (template-fields.ts) go on top of the form; ord and lead stay Liaison's.
//
// The trace: 智邦 has no idempotency key and no key column on a 洽谈进展, so the intro Liaison
// writes ends with a short marker line, "[Liaison <key>]" (the outbox key, a UUID, as 32 hex
// digits). It is plain text in a free-text field the seed fills with an AI summary, visible to
// ERP users as "logged by Liaison". Reading the replies back (replies.ts) takes it off the content
// and returns it as liaisonKey, so a pull never imports Liaison's own rows as a colleague's, and a
// write whose reply was lost is found instead of logged twice.
import type { FollowUp } from '../../model';
import type { RemoteRef } from '../port';
import type { TemplateFields } from '../template-values';
import { PATHS, type ZhibangClient } from './client';
import { clip } from './fields';
import { listReplies } from './replies';
import { doneSchema, readState, type ConnectionStateStore } from './state';
import { templateFields } from './template-fields';
import { messageOf } from './wire';
import { z } from 'zod';
import { erpDateTime } from './erp-time';
import { traceOf } from './trace';

export const METHOD_SORT: Record<FollowUp['method'], number> = { 电话: 481, 邮件: 482, 面谈: 483, 微信: 484, 其他: 484 };
export const INTRO_MAX = 1000;
const SCHEDULE_MS = 60 * 60_000;
/** How far back a retry looks for the row its lost reply may have committed. */
const RECONCILE_WINDOW_MS = 24 * 60 * 60_000;

export { erpDateTime, parseErpDateTime } from './erp-time';

/** What Liaison writes as 洽谈内容, before the trace: 【result】summary-or-content, then 下次行动. */
export function followUpIntro(f: FollowUp, max = INTRO_MAX): string {
  const parts = [f.result ? `【${f.result}】` : '', (f.summary?.trim() || f.content.trim()) ?? ''].join('');
  const next = f.nextAction?.trim() ? `\n下次行动：${f.nextAction.trim()}` : '';
  return clip(`${parts}${next}`.trim() || f.method, max);
}

const sendingSchema = z.object({ phase: z.literal('sending'), ord: z.string() });

export async function addFollowUp(
  client: ZhibangClient,
  state: ConnectionStateStore,
  ord: string,
  f: FollowUp,
  idempotencyKey: string,
  signal?: AbortSignal,
  templates: { now: () => number; fields?: TemplateFields | undefined } = { now: Date.now },
): Promise<RemoteRef> {
  // A follow-up the ERP confirmed is not sent again.
  const key = `followUp:${idempotencyKey}`;
  const done = await readState(state, key, doneSchema);
  if (done) return done;
  const trace = traceOf(idempotencyKey);
  const remember = async (ref: RemoteRef) => {
    await state.set(key, ref);
    return ref;
  };
  // An earlier attempt with this key was sent and its reply never came: the ERP may have saved
  // it. Read the customer's recent replies for the trace before sending again.
  if (trace && (await readState(state, key, sendingSchema))?.ord === ord) {
    const since = templates.now() - RECONCILE_WINDOW_MS;
    const rows = await listReplies(client, ord, { since, ...(signal ? { signal } : {}) });
    const hit = rows.find((r) => r.liaisonKey === idempotencyKey);
    if (hit) return remember({ remoteId: hit.remoteId });
  }
  const schedule =
    f.nextAt !== undefined
      ? { plantype: '1', '@title1': clip(f.nextAction?.trim() || '跟进客户', 100), '@ret_0': erpDateTime(f.nextAt), '@ret_1': erpDateTime(f.nextAt + SCHEDULE_MS), '@remind': '0' }
      : { plantype: '0' };
  const warnings: string[] = [];
  const templated = await templateFields(client, templates.now, 'followUp', templates.fields, signal, warnings);
  // A template's intro replaces the summary; the trace still ends it.
  const { intro: templatedIntro, ...otherTemplated } = templated;
  const body = templatedIntro !== undefined ? clip(templatedIntro, INTRO_MAX - [...trace].length) : followUpIntro(f, INTRO_MAX - [...trace].length);
  if (trace) await state.set(key, { phase: 'sending', ord });
  const doc = await client.v1(
    PATHS.reply,
    '__sys_dosave',
    { ord, intro: body + trace, sort: METHOD_SORT[f.method], lead: '0', ...schedule, ...otherTemplated },
    { write: true, searchParams: { datatype: 'tel' }, ...(signal ? { signal } : {}) },
  );
  const ref = await remember({ remoteId: messageOf(doc).id ?? `${ord}:${f.id}` });
  return warnings.length ? { ...ref, warnings } : ref;
}
