// Group-robot messages (options page only), to be merged into lib/messaging/protocol.ts
// (`...robotMessages`), in the shape of lib/strategy/messages.ts.
import { z } from 'zod';
import type { RobotView } from './store';
import type { NoticeEntry } from './log';
import { def } from '../messaging/define';
import { lazySchema } from '../model/lazy-schema';

/** Background-produced replies: typed, not re-validated on the way to the page. */
const reply = <T>() => z.custom<T>(() => true);
const page = ['page'] as const;
const id = lazySchema(() => z.string().min(1).max(64));
const ok = lazySchema(() => z.object({}));

export const robotMessages = {
  'robot.list': def(page, () => z.object({}), () => reply<{ robots: RobotView[]; log: NoticeEntry[] }>()),
  /** Validated by lib/notify/settings.ts in the background; `secret` absent keeps the stored one, '' removes it. */
  'robot.save': def(page, () => z.object({ robot: z.unknown(), secret: z.string().max(200).optional() }), () => reply<{ robot: RobotView }>()),
  /** "发送测试消息" in the page's language; rejects with the robot's reason (「中文 / English」). */
  'robot.test': def(page, () => z.object({ id, lang: z.enum(['zh_CN', 'en']) }), () => reply<{ sentAt: number }>()),
  'robot.setEnabled': def(page, () => z.object({ id, enabled: z.boolean() }), () => ok),
  'robot.remove': def(page, () => z.object({ id }), () => ok),
} as const;
