// Posts one message to one configured group robot: settings checked, template rendered with the
// vendor's escaping, the robot's keyword added when missing, paced by the robot's limiter,
// signed at send time (Feishu/DingTalk refuse a timestamp an hour off), and the vendor's reply
// turned into a CrmError. fetch is injected (the background passes its own; tests pass one that
// forwards to the loopback emulator). No browser APIs.
import { CrmError, classifyNetworkError } from '../crm/errors';
import type { LookupTables, MappingContext } from '../mapping';
import type { MessageFormat } from './kind';
import { robotLimiterFor, type RobotLimiter } from './rate-limit';
import { robotKind } from './registry';
import { compileNotifyTemplate, TemplateError } from './render';
import { robotSchema, robotSecretsSchema, secretProblem, type Robot, type RobotSecrets } from './settings';
import type { NotifyTemplate } from './templates';

export interface NotifyMessage {
  template: NotifyTemplate;
  context: MappingContext;
  /** Overrides the robot's own format. */
  format?: MessageFormat;
  lookups?: LookupTables;
}

export interface NotifyDeps {
  fetch: typeof fetch;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Defaults to the worker-wide limiter for this robot id, built from the kind's documented rules. */
  limiter?: RobotLimiter;
  timeoutMs?: number;
}

export interface NotifyResult {
  robotId: string;
  kind: Robot['kind'];
  /** When it was sent (epoch ms, after any wait for the rate limit). */
  sentAt: number;
  /** What was posted (no secret: the signature and timestamp are not included). */
  payload: Record<string, unknown>;
}

const NETWORK = {
  zh_CN: '网络中断，不确定消息是否已发到群里',
  en: 'The connection broke off; the message may or may not have reached the group',
};

const invalid = (zh: string, en: string, detail: string) => new CrmError('validation', detail, { userMessage: { zh_CN: zh, en } });

export async function notify(robotIn: Robot | unknown, secretsIn: RobotSecrets | unknown, message: NotifyMessage, deps: NotifyDeps): Promise<NotifyResult> {
  const now = deps.now ?? Date.now;
  const parsed = robotSchema.safeParse(robotIn);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw invalid(`群机器人设置有误：${detail}`, `The group robot settings are invalid: ${detail}`, `robot settings: ${detail}`);
  }
  const robot = parsed.data;
  const secrets = robotSecretsSchema.safeParse(secretsIn ?? {});
  if (!secrets.success) throw invalid('签名密钥格式不对', 'The signing secret is malformed', 'robot secrets malformed');
  if (!robot.enabled) throw new CrmError('unsupported', `robot ${robot.id} is disabled`, { userMessage: { zh_CN: `群机器人「${robot.name}」已停用`, en: `The group robot "${robot.name}" is disabled` } });
  const bad = secretProblem(robot, secrets.data);
  if (bad) throw new CrmError('auth', `robot ${robot.id}: secret rejected before sending`, { userMessage: bad });

  const kind = robotKind(robot.kind);
  const check = kind.parseUrl(robot.url);
  if (!check.ok) throw new CrmError('validation', `robot ${robot.id}: bad webhook url`, { userMessage: check.problem });

  let title, body;
  try {
    title = message.template.title ? compileNotifyTemplate(message.template.title, message.lookups) : undefined;
    body = compileNotifyTemplate(message.template.body, message.lookups);
  } catch (e) {
    if (e instanceof TemplateError) throw invalid(`通知模板有误：${e.issues.join('；')}`, `The notification template is invalid: ${e.issues.join('; ')}`, e.message);
    throw e;
  }
  const input = { ...(title ? { title } : {}), body, ctx: message.context, format: message.format ?? robot.format, ...(message.lookups ? { lookups: message.lookups } : {}) };
  let payload = kind.build(input);
  // A robot with 自定义关键词 refuses a message without one (Feishu 19024, DingTalk 310000).
  if (robot.keyword && !JSON.stringify(payload).includes(JSON.stringify(robot.keyword).slice(1, -1))) payload = kind.build({ ...input, prefix: `【${robot.keyword}】` });

  const limiter = deps.limiter ?? robotLimiterFor(robot.id, { rules: kind.rateRules, now, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  const post = async (): Promise<NotifyResult> => {
    // Signed after the wait, so a message held back by the limit still carries a fresh timestamp.
    const sentAt = now();
    const req = secrets.data.secret && kind.sign ? await kind.sign(check.url, payload, secrets.data.secret, sentAt) : { url: check.url, body: payload };

    const controller = new AbortController();
    const onAbort = () => controller.abort(deps.signal?.reason);
    deps.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new Error('timeout')), deps.timeoutMs ?? 15_000);
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const res = await deps.fetch(req.url.toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(req.body),
        signal: controller.signal,
      });
      status = res.status;
      headers = res.headers;
      text = await res.text();
    } catch (e) {
      // The vendor may have posted it: the outbox decides whether a possible duplicate is worth a retry.
      const n = classifyNetworkError(e, { write: true });
      throw new CrmError(n.kind, n.message, { cause: e, userMessage: NETWORK });
    } finally {
      clearTimeout(timer);
      deps.signal?.removeEventListener('abort', onAbort);
    }
    const err = kind.classify(status, headers, text, now());
    if (err) {
      if (err.kind === 'rate-limited') limiter.coolDown(now() + (err.retryAfterMs ?? 60_000));
      throw err;
    }
    return { robotId: robot.id, kind: robot.kind, sentAt, payload };
  };

  const sent = await limiter.acquire(deps.signal);
  try {
    return await post();
  } finally {
    sent(); // logged at the reply: see rate-limit.ts
  }
}
