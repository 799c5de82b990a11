// @vitest-environment happy-dom
// 团队与分配 in options and 负责人 beside the chat (seed 003 #2): the team saved with its rules and
// each member's accounts, ids checked against the system's pattern before saving; the owner, how
// they were assigned and whether the notices went out, and 改派 from the sidebar.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssignmentSection } from '../../../components/options/AssignmentSection';
import { Owner } from '../../../components/sidebar/Owner';
import { DEFAULT_TEAM, type TeamSettings } from '../../../lib/assign/team';
import type { AssignmentView, PeopleConnection } from '../../../lib/assign/messages';
import { createPageT } from '../../../lib/i18n/pages';
import { createT } from '../../../lib/i18n';

afterEach(cleanup);

const people: PeopleConnection[] = [
  { connectionId: 'erp', connectionName: '智邦', kind: 'zhibang', idLabel: { zh_CN: 'ERP 用户编号', en: 'ERP user id' }, idHelp: { zh_CN: '数字', en: 'digits' }, idPattern: '^\\d{1,12}$', assign: true, notify: false },
  { connectionId: 'dd', connectionName: '钉钉', kind: 'dingtalk', idLabel: { zh_CN: '钉钉 userId', en: 'DingTalk userId' }, idHelp: { zh_CN: 'x', en: 'x' }, idPattern: '^[\\w-]{1,64}$', assign: false, notify: true },
];

describe('AssignmentSection', () => {
  it('turns on automatic assignment for high-value customers, adds a member with rules and accounts, and saves', async () => {
    const save = vi.fn(async (_t: TeamSettings) => undefined);
    let n = 0;
    render(<AssignmentSection t={createPageT('zh_CN')} team={DEFAULT_TEAM} people={people} robots={[{ id: 'r1', name: '销售群' }]} load={{}} save={save} newId={() => `m${++n}`} />);
    expect(screen.queryByTestId('assign-add-member')).toBeNull(); // off: nothing else to set
    fireEvent.click(screen.getByTestId('assign-mode-auto'));
    fireEvent.change(screen.getByTestId('assign-when'), { target: { value: 'highValue' } });
    fireEvent.change(screen.getByTestId('assign-min-intent'), { target: { value: '高' } });
    fireEvent.click(screen.getByTestId('assign-robot-r1'));
    fireEvent.click(screen.getByTestId('assign-add-member'));
    const row = screen.getByTestId('assign-member-0');
    fireEvent.input(row.querySelector('[data-testid="member-name"]')!, { target: { value: '李娜' } });
    fireEvent.change(row.querySelector('[data-testid="member-products"]')!, { target: { value: '抵押贷，车贷, 抵押贷' } });
    fireEvent.input(row.querySelector('[data-testid="member-account-erp"]')!, { target: { value: '63' } });
    fireEvent.input(row.querySelector('[data-testid="member-account-dd"]')!, { target: { value: 'manager4220' } });
    expect(row.textContent).toContain('ERP 用户编号（客户指派）');
    fireEvent.click(screen.getByTestId('assign-save'));
    await waitFor(() =>
      expect(save).toHaveBeenCalledWith({
        mode: 'auto',
        when: 'highValue',
        minIntent: '高',
        notifyOwner: true,
        robotIds: ['r1'],
        members: [{ id: 'm1', name: '李娜', active: true, products: ['抵押贷', '车贷'], sources: [], regions: [], accounts: { erp: '63', dd: 'manager4220' } }],
      }),
    );
    await screen.findByTestId('assign-saved');
  });

  it('refuses an id in the wrong format and a nameless member before saving, saying which', async () => {
    const save = vi.fn(async (_t: TeamSettings) => undefined);
    const team: TeamSettings = { ...DEFAULT_TEAM, mode: 'manual', members: [{ id: 'a', name: '王强', active: true, products: [], sources: [], regions: [], accounts: { erp: 'wang' } }] };
    render(<AssignmentSection t={createPageT('zh_CN')} team={team} people={people} robots={[]} load={{ a: 4 }} save={save} newId={() => 'b'} />);
    expect(screen.getByTestId('assign-member-0').textContent).toContain('近 30 天分配 4 位');
    fireEvent.click(screen.getByTestId('assign-save'));
    expect((await screen.findByTestId('assign-problem')).textContent).toBe('王强: 智邦 ERP 用户编号格式不对');
    fireEvent.input(screen.getByTestId('assign-member-0').querySelector('[data-testid="member-account-erp"]')!, { target: { value: '64' } });
    fireEvent.click(screen.getByTestId('assign-add-member'));
    fireEvent.click(screen.getByTestId('assign-save'));
    expect((await screen.findByTestId('assign-problem')).textContent).toMatch(/^members\.1\.name/);
    expect(save).not.toHaveBeenCalled();
  });
});

describe('Owner beside the chat', () => {
  const view = (over: Partial<AssignmentView> = {}): AssignmentView => ({
    mode: 'manual',
    members: [
      { id: 'li', name: '李娜' },
      { id: 'wang', name: '王强' },
    ],
    notices: [],
    missingIds: [],
    ...over,
  });

  it('shows the owner, why, and each notice’s state; a failed one with its reason in the tooltip', () => {
    render(
      <Owner
        t={createT('zh_CN')}
        owner="王强"
        now={0}
        assign={async () => undefined}
        view={view({
          last: { customerId: 'c', memberId: 'wang', name: '王强', reason: 'product', at: 1 },
          notices: [
            { connectionName: '钉钉', op: 'person.notify', state: 'done' },
            { connectionName: '企业微信', op: 'person.notify', state: 'failed', lastError: 'validation: 81013' },
            { connectionName: '智邦', op: 'customer.assign', state: 'pending' },
          ],
        })}
      />,
    );
    expect(screen.getByTestId('owner-name').textContent).toBe('王强');
    expect(screen.getByTestId('owner-reason').textContent).toBe('按产品线自动分配');
    const items = [...screen.getByTestId('owner-notices').querySelectorAll('li')];
    expect(items.map((li) => li.textContent)).toEqual(['钉钉：已通知', '企业微信：通知失败', '智邦：客户指派排队中']);
    expect(items[1]!.getAttribute('title')).toBe('validation: 81013');
  });

  it('改派 to another member; the current owner cannot be picked again; off: nothing shown', async () => {
    const assign = vi.fn(async (_id: string) => undefined);
    const { unmount } = render(<Owner t={createT('en')} owner="王强" now={0} assign={assign} view={view()} />);
    const pick = screen.getByTestId('owner-pick') as HTMLSelectElement;
    expect([...pick.options].find((o) => o.value === 'wang')?.disabled).toBe(true);
    expect(screen.getByTestId('owner-assign').textContent).toBe('Reassign');
    fireEvent.change(pick, { target: { value: 'li' } });
    fireEvent.click(screen.getByTestId('owner-assign'));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('li'));
    unmount();
    render(<Owner t={createT('zh_CN')} owner={undefined} now={0} assign={assign} view={view({ mode: 'off' })} />);
    expect(screen.queryByTestId('owner')).toBeNull();
  });
});
