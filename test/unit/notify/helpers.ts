// Shared set-up for the group-robot tests: the loopback emulator, a fake clock whose sleep moves
// time forward at once, and a sample context.
import { SAMPLE_CONTEXT, type MappingContext } from '../../../lib/mapping';
import { createRobotLimiter } from '../../../lib/notify/rate-limit';
import { robotKind } from '../../../lib/notify/registry';
import type { Robot } from '../../../lib/notify/settings';
import { startRobotEmulator } from '../../emulators/robots/server';

export function fakeClock(start = Date.UTC(2026, 11, 6, 2, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += Math.max(0, ms);
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

export async function setup(opts: { clock?: ReturnType<typeof fakeClock> } = {}) {
  const clock = opts.clock ?? fakeClock();
  const emu = await startRobotEmulator({ now: clock.now });
  return { emu, clock };
}

let n = 0;
export function robot(kind: Robot['kind'], url: string, extra: Partial<Robot> = {}): Robot {
  n += 1;
  return { id: `r${n}`, kind, name: `测试群 ${n}`, url, enabled: true, format: 'rich', ...extra };
}

/** deps for notify(): the emulator's fetch, the fake clock, and a fresh limiter with the kind's documented rules. */
export function deps(emu: { fetch: typeof fetch }, clock: ReturnType<typeof fakeClock>, kind: Robot['kind']) {
  return { fetch: emu.fetch, now: clock.now, sleep: clock.sleep, limiter: createRobotLimiter({ rules: robotKind(kind).rateRules, now: clock.now, sleep: clock.sleep }) };
}

export const ctx: MappingContext = SAMPLE_CONTEXT;
export const TEMPLATE = { title: '购买信号：{{customer.name}}', body: '金额：{{customer.amount}}\n消息：{{conversation.lastMessage}}' };
