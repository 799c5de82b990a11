// The notification log (lib/notify/log.ts): what the options page shows per robot — each post by
// a rule or the test button, and a failure with its kind and that nothing retries it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { SAMPLE_CONTEXT } from '../../../lib/mapping';
import { notifyGroup, robotHandlers } from '../../../lib/notify/handlers';
import { noticeLog } from '../../../lib/notify/log';
import { resetRobotLimiters } from '../../../lib/notify/rate-limit';
import { startRobotEmulator, type RobotEmulator } from '../../emulators/robots/server';

let db: LiaisonDb;
let emu: RobotEmulator;
let n = 0;

beforeEach(async () => {
  resetRobotLimiters();
  db = new LiaisonDb(`notify-log-test-${++n}`);
  emu = await startRobotEmulator();
});
afterEach(async () => {
  await db.delete();
  await emu.close();
});

describe('notification log', () => {
  it('records a rule post and a test post, and robot.list returns them', async () => {
    const h = robotHandlers(db, { fetch: emu.fetch });
    const url = emu.control.addRobot({ vendor: 'feishu', secret: 'fs-secret' });
    await h['robot.save']({ robot: { id: 'g', kind: 'feishu', name: '销售群', url, enabled: true }, secret: 'fs-secret' });
    await h['robot.test']({ id: 'g', lang: 'zh_CN' });
    await notifyGroup(db, 'g', 'buyingSignal', SAMPLE_CONTEXT, { fetch: emu.fetch }, { source: 'rule:big' });
    expect(emu.state.messages).toHaveLength(2);
    const { log } = await h['robot.list']();
    expect(log.map((e) => [e.robotId, e.source, e.ok])).toEqual([
      ['g', 'test', true],
      ['g', 'rule:big', true],
    ]);
    expect(log[1]!.event).toBe('buyingSignal');
  });

  it('records a rate-limited refusal as retryable, rethrows it, and sends nothing again', async () => {
    const url = emu.control.addRobot({ vendor: 'feishu' });
    await robotHandlers(db, { fetch: emu.fetch })['robot.save']({ robot: { id: 'g', kind: 'feishu', name: '销售群', url, enabled: true } });
    let calls = 0;
    // Feishu's documented 11232 "frequency limited" reply (lib/notify/feishu.ts), as the vendor sends it.
    const limited: typeof fetch = async () => {
      calls++;
      return new Response(JSON.stringify({ code: 11232, data: {}, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]' }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const err = await notifyGroup(db, 'g', 'buyingSignal', SAMPLE_CONTEXT, { fetch: limited }).catch((e: unknown) => e);
    expect((err as { kind?: string }).kind).toBe('rate-limited');
    expect(calls).toBe(1);
    const [entry] = await noticeLog(db);
    expect(entry).toMatchObject({ robotId: 'g', source: 'rule', ok: false, kind: 'rate-limited', retryable: true });
    expect(entry!.message?.zh_CN).toBeTruthy();
    expect(entry!.message?.en).toBeTruthy();
  });

  it('records an unknown robot (deleted after the rule was written) as a failure', async () => {
    await expect(notifyGroup(db, 'gone', 'complaint', SAMPLE_CONTEXT, { fetch: emu.fetch })).rejects.toThrow(/no such group robot/);
    expect(await noticeLog(db)).toMatchObject([{ robotId: 'gone', ok: false, kind: 'error', retryable: false }]);
    expect(emu.state.requests).toHaveLength(0);
  });

  it('keeps the last 50 entries', async () => {
    for (let i = 0; i < 55; i++) await notifyGroup(db, 'nope', 'newLead', SAMPLE_CONTEXT, { fetch: emu.fetch }).catch(() => undefined);
    const log = await noticeLog(db);
    expect(log).toHaveLength(50);
  });
});
