// Configured group robots (options → 群机器人). Settings and secrets are kept apart: the robot
// list can be shown, exported and synced; the secrets (Feishu 签名校验密钥, DingTalk 加签密钥)
// live with the other credentials and never leave the background. The webhook URL itself is a
// credential for every kind (whoever has it can post), so the UI masks it once saved.
import { z } from 'zod';
import { MESSAGE_FORMATS, ROBOT_KIND_IDS } from './kind';
import { robotKind } from './registry';
import { lazySchema } from '../model/lazy-schema';

export const robotSchema = lazySchema(() => z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    kind: z.enum(ROBOT_KIND_IDS),
    name: z.string().trim().min(1).max(80),
    url: z.string().trim().min(1).max(500),
    enabled: z.boolean(),
    /** One of the robot's 自定义关键词 (Feishu, DingTalk): added to a message that lacks it. */
    keyword: z.string().trim().min(1).max(50).optional(),
    /** 'rich': Feishu post, DingTalk/WeCom markdown, Slack blocks; 'text': plain text. */
    format: z.enum(MESSAGE_FORMATS).default('rich'),
  })
  .superRefine((r, ctx) => {
    const kind = robotKind(r.kind);
    const check = kind.parseUrl(r.url);
    if (!check.ok) ctx.addIssue({ code: 'custom', path: ['url'], message: `${check.problem.zh_CN} / ${check.problem.en}` });
    if (r.keyword && !kind.keywords)
      ctx.addIssue({ code: 'custom', path: ['keyword'], message: `${kind.names.zh_CN}没有自定义关键词 / ${kind.names.en} has no custom keywords` });
  }));
export type Robot = z.output<typeof robotSchema>;
export type RobotInput = z.input<typeof robotSchema>;

export const robotSecretsSchema = lazySchema(() => z.object({
  /** Feishu/Lark 签名校验 or DingTalk 加签 secret; absent when the robot does not sign. */
  secret: z.string().trim().min(1).max(200).optional(),
}));
export type RobotSecrets = z.output<typeof robotSecretsSchema>;

export const robotsSettingsSchema = lazySchema(() => z.object({ robots: z.array(robotSchema).max(50) }).superRefine((s, ctx) => {
  const seen = new Set<string>();
  s.robots.forEach((r, i) => {
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['robots', i, 'id'], message: `duplicate robot id ${r.id}` });
    seen.add(r.id);
  });
}));
export type RobotsSettings = z.output<typeof robotsSettingsSchema>;

/** Secrets by robot id. */
export const robotSecretsByIdSchema = lazySchema(() => z.record(z.string(), robotSecretsSchema));

/** A secret the kind cannot use, or one in the wrong shape: the message to show, else undefined. */
export function secretProblem(robot: Pick<Robot, 'kind'>, secrets: RobotSecrets): { zh_CN: string; en: string } | undefined {
  const kind = robotKind(robot.kind);
  if (!secrets.secret) return undefined;
  if (!kind.secret) return { zh_CN: `${kind.names.zh_CN}不使用签名密钥，请留空`, en: `${kind.names.en} does not sign; leave the secret empty` };
  if (kind.secret.pattern && !kind.secret.pattern.test(secrets.secret))
    return { zh_CN: `${kind.secret.label.zh_CN}格式不对：${kind.secret.help.zh_CN}`, en: `${kind.secret.label.en} has the wrong shape: ${kind.secret.help.en}` };
  return undefined;
}
