// createTask: a reminder as a Feishu Task v2 (POST /open-apis/task/v2/tasks {summary, description,
// due:{timestamp:"<ms>", is_all_day}, client_token}); 10 requests/s. A task cannot link to a
// Bitable record, so the description names the customer's record id for the user to find it.
import { z } from 'zod';
import type { RemoteRef, TaskInput, WriteOptions } from '../port';
import { call, type FeishuContext } from './client';
import { toUuidV4 } from './uuid';

const taskReply = z.object({ task: z.object({ guid: z.string().min(1) }).passthrough() });

export async function createTask(ctx: FeishuContext, remoteCustomerId: string, task: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  const description = [task.note?.trim(), `Liaison · 客户记录 ${remoteCustomerId}`].filter(Boolean).join('\n').slice(0, 3000);
  const data = await call(ctx, 'post', 'task/v2/tasks', {
    searchParams: { user_id_type: 'open_id' },
    json: {
      summary: task.title.slice(0, 3000),
      description,
      due: { timestamp: String(Math.round(task.dueAt)), is_all_day: false },
      client_token: await toUuidV4(opts.idempotencyKey),
    },
    write: true,
    signal: opts.signal,
    data: taskReply,
  });
  return { remoteId: data.task.guid };
}
