// Reminders as 日程: POST oa/schedule/add {schedule:{organizer, start_time, end_time, attendees,
// summary ≤ 128 chars, description ≤ 512, reminders:{is_remind, remind_before_event_secs}}}
// → {schedule_id} (AddSchedule.yaml). The follow user organises and attends it, so it shows in
// their WeCom calendar with a reminder 15 minutes before (one of the documented values 0, 300,
// 900, 3600, 86400). WeCom takes no idempotency key here and its YAML has no schedule read API:
// a reply lost after WeCom saved the schedule may leave a duplicate (spec.ts says so).
import { z } from 'zod';
import type { RemoteRef, TaskInput, WriteOptions } from '../port';
import { call, type WecomContext } from './client';
import { checkId } from './customers';

const addReply = z.object({ schedule_id: z.string().min(1) });

/** A schedule lasts this long from its due time (WeCom needs an end; a reminder is a point in time). */
export const SCHEDULE_MS = 30 * 60_000;

const cut = (s: string, max: number) => ([...s].length > max ? [...s].slice(0, max).join('') : s);

export async function createTask(ctx: WecomContext, externalUserid: string, t: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  checkId(externalUserid);
  const start = Math.floor(t.dueAt / 1000);
  const description = cut([t.note?.trim(), `Liaison · 客户 ${externalUserid} · ${opts.idempotencyKey}`].filter(Boolean).join('\n'), 512);
  const r = await call(ctx, 'post', 'cgi-bin/oa/schedule/add', {
    json: {
      schedule: {
        organizer: ctx.config.followUserId,
        start_time: start,
        end_time: start + SCHEDULE_MS / 1000,
        attendees: [{ userid: ctx.config.followUserId }],
        summary: cut(t.title.trim() || '跟进客户', 128),
        description,
        reminders: { is_remind: 1, remind_before_event_secs: 900 },
      },
    },
    write: true,
    schema: addReply,
    signal: opts.signal,
  });
  return { remoteId: r.schedule_id };
}
