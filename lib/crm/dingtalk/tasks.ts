// 待办 (todo) for a reminder: POST /v1.0/todo/users/{unionId}/tasks?operatorId={unionId}
// {subject, description, dueTime (epoch ms), executorIds, participantIds, sourceId,
// notifyConfigs:{dingNotify:"1"}, priority} → {id, …} (todo_1_0 CreateTodoTask), assigned to
// the operator (their unionId from user.ts). Idempotency by lookup: sourceId is the idempotency
// key, and GET …/tasks/sources/{sourceId} (GetTodoTaskBySourceId) runs first; a task found there
// is the earlier write. The todo cannot point at a CRM record: the description names it.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { RemoteRef, TaskInput, WriteOptions } from '../port';
import { call, type DingtalkContext } from './client';
import { checkId } from './customers';
import { operator } from './user';

const taskReply = z.object({ id: z.string().min(1), sourceId: z.string().optional(), subject: z.string().optional(), dueTime: z.number().optional() }).passthrough();

const sourceIdOf = (key: string) => key.replace(/[^\w-]/g, '').slice(0, 64) || 'liaison';

/** The task created earlier with this sourceId, or undefined when the API says there is none. */
async function bySource(ctx: DingtalkContext, unionId: string, sourceId: string, signal?: AbortSignal) {
  try {
    return await call(ctx, 'get', `v1.0/todo/users/${encodeURIComponent(unionId)}/tasks/sources/${encodeURIComponent(sourceId)}`, { schema: taskReply, signal });
  } catch (e) {
    // The pages we read do not show the miss reply: a 404, or a 400 whose code or message says "not exist".
    if (e instanceof CrmError && (e.kind === 'not-found' || (e.status === 400 && /not.?exist|notfound|不存在/i.test(`${e.vendorCode ?? ''} ${e.message}`)))) return undefined;
    throw e;
  }
}

export async function createTask(ctx: DingtalkContext, customerId: string, t: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  checkId(customerId);
  const me = await operator(ctx, opts.signal);
  const sourceId = sourceIdOf(opts.idempotencyKey);
  const earlier = await bySource(ctx, me.unionid, sourceId, opts.signal);
  if (earlier) return { remoteId: earlier.id };
  const body: Record<string, unknown> = {
    subject: t.title.trim().slice(0, 1024) || 'Liaison',
    description: [t.note?.trim(), `钉钉客户 ${customerId}`].filter(Boolean).join('\n'),
    dueTime: Math.floor(t.dueAt),
    executorIds: [me.unionid],
    participantIds: [me.unionid],
    sourceId,
    notifyConfigs: { dingNotify: '1' },
    priority: 20,
  };
  for (const [k, v] of Object.entries(opts.fields ?? {})) {
    if (k in body) throw new CrmError('validation', `DingTalk: ${k} is reserved by Liaison and cannot be templated`, { vendorCode: 'RESERVED_FIELD' });
    body[k] = v;
  }
  const r = await call(ctx, 'post', `v1.0/todo/users/${encodeURIComponent(me.unionid)}/tasks`, { searchParams: { operatorId: me.unionid }, json: body, write: true, schema: taskReply, signal: opts.signal });
  return { remoteId: r.id };
}
