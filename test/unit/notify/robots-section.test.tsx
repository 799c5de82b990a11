// @vitest-environment happy-dom
// The options section 群机器人通知: adding a DingTalk robot with its signing secret, the checks
// the form makes before saving, and "发送测试消息" wired (as the background would be) to notify()
// and the loopback emulator, which verifies the signature.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RobotsSection, type RobotView } from '../../../components/options/RobotsSection';
import { createPageT } from '../../../lib/i18n/pages';
import { notify } from '../../../lib/notify/notify';
import { testMessage } from '../../../lib/notify/templates';
import type { Robot } from '../../../lib/notify/settings';
import { startRobotEmulator, type RobotEmulator } from '../../emulators/robots/server';

let emu: RobotEmulator | undefined;
afterEach(async () => {
  cleanup();
  await emu?.close();
  emu = undefined;
});

const input = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });

describe('RobotsSection', () => {
  it('adds a DingTalk robot: steps shown, bad URL and secret refused in place, then saved and tested with a valid signature', async () => {
    emu = await startRobotEmulator();
    const secret = 'SEC' + '7f'.repeat(32);
    const url = emu.control.addRobot({ vendor: 'dingtalk', secret });
    let robots: RobotView[] = [];
    const secrets = new Map<string, string>();
    const actions = {
      save: vi.fn(async (r: Robot, s: string | undefined) => {
        robots = [...robots.filter((x) => x.id !== r.id), { ...r, hasSecret: !!s }];
        if (s) secrets.set(r.id, s);
      }),
      test: vi.fn(async (id: string) => {
        const r = robots.find((x) => x.id === id)!;
        const m = testMessage('zh_CN', Date.now());
        await notify(r, { secret: secrets.get(id) }, { template: m.template, context: m.context }, { fetch: emu!.fetch }).catch((e: { userMessage: { zh_CN: string; en: string } }) => {
          throw new Error(`${e.userMessage.zh_CN} / ${e.userMessage.en}`);
        });
      }),
      setEnabled: vi.fn(async () => undefined),
      remove: vi.fn(async () => undefined),
    };
    const t = createPageT('zh_CN');
    const view = render(<RobotsSection t={t} robots={robots} actions={actions} newId={() => 'robot-1'} />);
    expect(screen.getByText('还没有群机器人。')).toBeTruthy();

    fireEvent.click(screen.getByTestId('robot-add-dingtalk'));
    expect(screen.getByTestId('robot-steps').textContent).toContain('加签');
    input('robot-name', '销售群');
    input('robot-url-input', 'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1&sign=x');
    expect(screen.getByRole('alert').textContent).toContain('不要带 timestamp 和 sign');
    input('robot-url-input', url);
    input('robot-secret', 'not-a-sec-secret');
    expect(screen.getByRole('alert').textContent).toContain('SEC');
    input('robot-secret', secret);
    fireEvent.submit(screen.getByTestId('robot-form'));
    await waitFor(() => expect(actions.save).toHaveBeenCalledTimes(1));
    expect(actions.save.mock.calls[0]).toEqual([{ id: 'robot-1', kind: 'dingtalk', name: '销售群', url, enabled: true, format: 'rich' }, secret]);

    view.rerender(<RobotsSection t={t} robots={robots} actions={actions} newId={() => 'robot-2'} />);
    expect(screen.getByTestId('robot-url').textContent).toBe(`https://oapi.dingtalk.com/…${url.slice(-4)}`);
    fireEvent.click(screen.getByTestId('robot-test'));
    // A real request to the emulator on loopback: over findBy's default second at load 19.
    await screen.findByTestId('robot-test-ok', {}, { timeout: 10_000 });
    expect(emu.state.messages).toHaveLength(1);
    expect(emu.state.messages[0]!.body).toMatchObject({ msgtype: 'markdown', markdown: { title: 'Liaison 测试消息' } });

    // The robot's secret changed in DingTalk: the test shows the reason in the page's language.
    secrets.set('robot-1', 'SEC' + '00'.repeat(32));
    fireEvent.click(screen.getByTestId('robot-test'));
    const err = await screen.findByTestId('robot-error', {}, { timeout: 10_000 });
    expect(err.textContent).toContain('签名校验失败');
    expect(err.textContent).not.toContain('Signature rejected');
  });

  it('speaks English too', () => {
    const t = createPageT('en');
    render(<RobotsSection t={t} robots={[]} actions={{ save: vi.fn(), test: vi.fn(), setEnabled: vi.fn(), remove: vi.fn() }} newId={() => 'x'} />);
    expect(screen.getByText('Group robot notifications')).toBeTruthy();
    fireEvent.click(screen.getByTestId('robot-add-slack'));
    expect(screen.getByTestId('robot-steps').textContent).toContain('Incoming Webhooks');
    expect(screen.queryByTestId('robot-secret')).toBeNull(); // Slack does not sign
  });
});
