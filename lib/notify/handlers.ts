// Background handlers for robotMessages, and the one function rules and strategies call to post
// an event to a group. Plain functions over the database and an injected fetch, so the options
// page's calls and the unit tests go through the same code.
import type { LiaisonDb } from '../db/db';
import { CrmError } from '../crm/errors';
import { ValidationError } from '../customers/errors';
import type { MappingContext } from '../mapping';
import { notify, type NotifyDeps, type NotifyResult } from './notify';
import { failureEntry, noticeLog, recordNotice, type NoticeEntry } from './log';
import { robotViews, robotWithSecrets, removeRobot, saveRobot, setRobotEnabled } from './store';
import { DEFAULT_TEMPLATES, testMessage, type NotifyEvent, type NotifyTemplate } from './templates';

export type RobotDeps = Omit<NotifyDeps, 'limiter'>;

/** A robot's refusal as the router shows it: the user's message in both languages, vendor code kept. */
function forPage(e: unknown): never {
  if (e instanceof CrmError) throw new ValidationError(`${e.userMessage.zh_CN} / ${e.userMessage.en}`);
  throw e;
}

export function robotHandlers(db: LiaisonDb, deps: RobotDeps) {
  return {
    async 'robot.list'() {
      return { robots: await robotViews(db), log: await noticeLog(db) };
    },
    async 'robot.save'({ robot, secret }: { robot: unknown; secret?: string }) {
      return { robot: await saveRobot(db, robot, secret) };
    },
    async 'robot.test'({ id, lang }: { id: string; lang: 'zh_CN' | 'en' }) {
      const { robot, secrets } = await robotWithSecrets(db, id);
      const at = (deps.now ?? Date.now)();
      const m = testMessage(lang, at);
      const r = await notify(robot, secrets, { template: m.template, context: m.context }, deps).catch(async (e: unknown) => {
        await recordNotice(db, failureEntry({ at, robotId: id, source: 'test' }, e)).catch(() => undefined);
        return forPage(e);
      });
      await recordNotice(db, { at: r.sentAt, robotId: id, source: 'test', ok: true });
      return { sentAt: r.sentAt };
    },
    async 'robot.setEnabled'({ id, enabled }: { id: string; enabled: boolean }) {
      await setRobotEnabled(db, id, enabled);
      return {};
    },
    async 'robot.remove'({ id }: { id: string }) {
      await removeRobot(db, id);
      return {};
    },
  };
}

/**
 * Posts an event (购买信号, 投诉, 分配…) to one configured robot: what a rule's "notify the group"
 * action and a strategy's "also post to the team group" call. The template defaults to the
 * event's ready-made one in the given language. Throws CrmError (the outbox's kinds).
 */
export async function notifyGroup(
  db: LiaisonDb,
  robotId: string,
  event: NotifyEvent,
  context: MappingContext,
  deps: RobotDeps,
  opts: { lang?: 'zh_CN' | 'en'; template?: NotifyTemplate; source?: string } = {},
): Promise<NotifyResult> {
  const base: Omit<NoticeEntry, 'ok'> = { at: (deps.now ?? Date.now)(), robotId, source: opts.source ?? 'rule', event };
  try {
    const { robot, secrets } = await robotWithSecrets(db, robotId);
    const template = opts.template ?? DEFAULT_TEMPLATES[event][opts.lang ?? 'zh_CN'];
    const r = await notify(robot, secrets, { template, context }, deps);
    await recordNotice(db, { ...base, at: r.sentAt, ok: true });
    return r;
  } catch (e) {
    // Recorded, then thrown on: the caller (a rule) reports it too; nothing retries it.
    await recordNotice(db, failureEntry(base, e)).catch(() => undefined);
    throw e;
  }
}
