// Where configured robots live: their settings in db.kv (NOTIFY_ROBOTS_KEY), their signing
// secrets in db.secrets under `robot:<id>` (read by the background only, like connection secrets
// and the LLM key). The webhook URL is a credential too (whoever has it can post); it stays in the
// background's database and the options page shows it masked.
import type { LiaisonDb } from '../db/db';
import { NotFoundError, ValidationError } from '../customers/errors';
import { robotSchema, robotsSettingsSchema, secretProblem, type Robot, type RobotSecrets } from './settings';

export const NOTIFY_ROBOTS_KEY = 'notify.robots';
export const robotSecretId = (robotId: string) => `robot:${robotId}`;

export interface RobotView extends Robot {
  hasSecret: boolean;
}

export async function listRobots(db: LiaisonDb): Promise<Robot[]> {
  const raw = (await db.kv.get(NOTIFY_ROBOTS_KEY))?.value;
  if (raw === undefined) return [];
  const parsed = robotsSettingsSchema.safeParse({ robots: raw });
  // Rows that no longer parse (a kind's URL rule tightened) are kept out, not silently rewritten.
  if (parsed.success) return parsed.data.robots;
  return (Array.isArray(raw) ? raw : []).flatMap((r) => {
    const one = robotSchema.safeParse(r);
    return one.success ? [one.data] : [];
  });
}

export async function robotViews(db: LiaisonDb): Promise<RobotView[]> {
  const robots = await listRobots(db);
  const secrets = await db.secrets.bulkGet(robots.map((r) => robotSecretId(r.id)));
  return robots.map((r, i) => ({ ...r, hasSecret: !!secrets[i]?.value.secret }));
}

export async function robotWithSecrets(db: LiaisonDb, id: string): Promise<{ robot: Robot; secrets: RobotSecrets }> {
  const robot = (await listRobots(db)).find((r) => r.id === id);
  if (!robot) throw new NotFoundError(`群机器人不存在 / no such group robot: ${id}`);
  const row = await db.secrets.get(robotSecretId(id));
  return { robot, secrets: row?.value.secret ? { secret: row.value.secret } : {} };
}

/**
 * Saves a robot; `secret` undefined keeps the stored one, '' removes it. Settings and secret are
 * written in one transaction so a robot never exists with another robot's secret state.
 */
export async function saveRobot(db: LiaisonDb, input: unknown, secret: string | undefined): Promise<RobotView> {
  const parsed = robotSchema.safeParse(input);
  if (!parsed.success) {
    // Issue messages are 「中文 / English」: regrouped so the page shows one language whole.
    const halves = parsed.error.issues.map((i) => {
      const [zh, en = zh] = i.message.split(' / ');
      return { zh: `${i.path.join('.')}：${zh}`, en: `${i.path.join('.')}: ${en}` };
    });
    throw new ValidationError(`群机器人设置有误：${halves.map((h) => h.zh).join('；')} / Invalid group robot: ${halves.map((h) => h.en).join('; ')}`);
  }
  const robot = parsed.data;
  const s = secret?.trim();
  if (s) {
    const bad = secretProblem(robot, { secret: s });
    if (bad) throw new ValidationError(`${bad.zh_CN} / ${bad.en}`);
  }
  return db.transaction('rw', db.kv, db.secrets, async () => {
    const robots = await listRobots(db);
    const existing = robots.find((r) => r.id === robot.id);
    if (existing && existing.kind !== robot.kind) throw new ValidationError('群机器人不能更改类型 / a group robot cannot change its kind');
    const next = existing ? robots.map((r) => (r.id === robot.id ? robot : r)) : [...robots, robot];
    const all = robotsSettingsSchema.safeParse({ robots: next });
    if (!all.success) throw new ValidationError(`群机器人设置有误 / invalid group robots: ${all.error.issues[0]?.message ?? ''}`);
    await db.kv.put({ key: NOTIFY_ROBOTS_KEY, value: all.data.robots });
    if (s) await db.secrets.put({ connectionId: robotSecretId(robot.id), value: { secret: s } });
    else if (secret === '') await db.secrets.delete(robotSecretId(robot.id));
    const stored = await db.secrets.get(robotSecretId(robot.id));
    return { ...robot, hasSecret: !!stored?.value.secret };
  });
}

export async function setRobotEnabled(db: LiaisonDb, id: string, enabled: boolean): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const robots = await listRobots(db);
    if (!robots.some((r) => r.id === id)) throw new NotFoundError(`群机器人不存在 / no such group robot: ${id}`);
    await db.kv.put({ key: NOTIFY_ROBOTS_KEY, value: robots.map((r) => (r.id === id ? { ...r, enabled } : r)) });
  });
}

export async function removeRobot(db: LiaisonDb, id: string): Promise<void> {
  await db.transaction('rw', db.kv, db.secrets, async () => {
    const robots = await listRobots(db);
    await db.kv.put({ key: NOTIFY_ROBOTS_KEY, value: robots.filter((r) => r.id !== id) });
    await db.secrets.delete(robotSecretId(id));
  });
}
