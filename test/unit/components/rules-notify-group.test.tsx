// @vitest-environment happy-dom
// The rules editor's "notify the group" (issue 17 item 4): the template fills in the first
// configured robot, the robots are offered by name, the amount condition reads in yuan with its
// 万 shown, the rule saved is one the schema accepts; with no robot the editor says so (zh, en).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnderstandingSection, type UnderstandingActions } from '../../../components/options/UnderstandingSection';
import { Options, type OptionsActions } from '../../../components/options/Options';
import { createPageT } from '../../../lib/i18n/pages';
import { DEFAULT_UNDERSTANDING, understandingConfigSchema, type UnderstandingConfig } from '../../../lib/suggest/config';
import { NOW, settings } from './fixtures';

afterEach(cleanup);

const ROBOTS = [
  { id: 'robot-a', name: '销售一组' },
  { id: 'robot-b', name: '售后群' },
];

function renderRules(locale: 'zh_CN' | 'en', robots = ROBOTS) {
  const actions: UnderstandingActions = { save: vi.fn(async () => undefined), test: vi.fn(async () => ({ reply: '', ms: 0 })) };
  render(
    <UnderstandingSection
      t={createPageT(locale)}
      view={{ ...structuredClone(DEFAULT_UNDERSTANDING), llmKeyStored: false }}
      sites={[{ id: 'demo', name: 'Demo' }]}
      connections={[]}
      stages={['新客户', '方案沟通']}
      robots={robots}
      actions={actions}
      newId={() => 'rule-1'}
    />,
  );
  return actions;
}

const addTemplate = () => fireEvent.click(screen.getAllByTestId('rule-add').find((b) => b.textContent?.includes('大额购买信号通知群'))!);

describe('rules editor: notify the group', () => {
  it('adds the template with the first robot, lets another be picked by name, and saves a valid rule', async () => {
    const actions = renderRules('zh_CN');
    addTemplate();
    const amount = screen.getByTestId('rule-amount') as HTMLInputElement;
    expect(amount.value).toBe('1000000');
    expect(screen.getByText('即 100 万元')).toBeTruthy();
    const robot = screen.getByTestId('rule-robot') as HTMLSelectElement;
    expect(robot.value).toBe('robot-a');
    expect([...robot.options].map((o) => o.textContent)).toEqual(['销售一组', '售后群']);
    fireEvent.change(robot, { target: { value: 'robot-b' } });
    fireEvent.input(screen.getByTestId('rule-amount'), { target: { value: '2000000', valueAsNumber: 2_000_000 } });
    fireEvent.click(screen.getByTestId('rule-enabled'));
    fireEvent.click(screen.getByTestId('understanding-save'));
    await waitFor(() => expect(actions.save).toHaveBeenCalledTimes(1));
    const config = (actions.save as ReturnType<typeof vi.fn>).mock.calls[0]![0] as UnderstandingConfig;
    expect(config.rules[0]).toMatchObject({
      enabled: true,
      when: [{ type: 'signal', signal: 'buying' }, { type: 'amount', op: 'gte', value: 2_000_000 }],
      then: [{ type: 'notifyGroup', robotId: 'robot-b', event: 'buyingSignal' }],
    });
    expect(understandingConfigSchema.safeParse(config).success).toBe(true);
  });

  it('offers the event templates in the page language', () => {
    renderRules('en');
    addTemplate();
    const selects = [...screen.getByTestId('rule-action').querySelectorAll('select')];
    const events = selects.at(-1)!;
    expect([...events.options].map((o) => o.textContent)).toEqual(['Buying signal', 'Complaint / after-sales', 'Assigned to a salesperson', 'New lead']);
    expect(screen.getByText('= 100 万 (×10,000)')).toBeTruthy();
  });

  it.each([
    ['zh_CN', '还没有群机器人：请先在「群机器人」里添加'],
    ['en', 'No group robot yet: add one under “Group robots” first'],
  ] as const)('says there is no robot to notify (%s), and such a rule cannot be turned on', (locale, says) => {
    renderRules(locale, []);
    addTemplate();
    expect(screen.getByTestId('rule-robot-none').textContent).toBe(says);
    expect(screen.queryByTestId('rule-robot')).toBeNull();
    const unpicked = { ...structuredClone(DEFAULT_UNDERSTANDING), rules: [{ id: 'r', name: 'x', enabled: true, when: [{ type: 'amount', op: 'gte', value: 1 }], then: [{ type: 'notifyGroup', robotId: '', event: 'buyingSignal' }] }] };
    expect(understandingConfigSchema.safeParse(unpicked).success).toBe(false);
  });

  it('lists 群机器人 in the options navigation when the section is there', () => {
    const actions: OptionsActions = { save: vi.fn(async () => undefined), exportData: vi.fn(async () => ({ json: '{}', counts: {} })), importData: vi.fn(async () => ({})) };
    const base = { t: createPageT('zh_CN'), settings: settings(), actions, onDownload: vi.fn(), now: NOW };
    const { unmount } = render(<Options {...base} />);
    expect(screen.queryByText('群机器人', { selector: 'a' })).toBeNull();
    unmount();
    render(<Options {...base} robots={{ robots: [], actions: { save: vi.fn(), test: vi.fn(), setEnabled: vi.fn(), remove: vi.fn() }, newId: () => 'x' }} />);
    expect(screen.getByText('群机器人', { selector: 'a' }).getAttribute('href')).toBe('#lzo-robots');
    expect(document.getElementById('lzo-robots')).toBeTruthy();
  });
});
