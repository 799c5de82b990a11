// Hostile customer text stays text: mention syntax, links and tags from a chat message or a
// customer's name reach every robot kind, in both forms, as visible characters and never as a
// mention, a link or a tag (read back by the emulator's interpret(), per each vendor's syntax).
// The literal markdown an admin wrote in the template is theirs and is kept.
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_CONTEXT, type MappingContext } from '../../../lib/mapping';
import { notify } from '../../../lib/notify/notify';
import type { RobotKindId } from '../../../lib/notify/kind';
import { interpret } from '../../emulators/robots/interpret';
import type { RobotEmulator, Vendor } from '../../emulators/robots/server';
import { deps, robot, setup } from './helpers';

const HOSTILE = [
  '<at user_id="all">所有人</at>',
  '<!channel> <!here> <!everyone> <@U024BE7LH>',
  '[点我领奖](https://evil.example/phish)',
  '<https://evil.example/a|看这里>',
  '<font color="warning">紧急</font> <@zhangsan>',
  '@所有人 @all',
  '![img](https://evil.example/x.png)',
  '# 标题\n> 引用\n**粗体** `code` ~删除~',
].join('\n');

const context: MappingContext = {
  ...SAMPLE_CONTEXT,
  customer: { ...SAMPLE_CONTEXT.customer!, name: '张三</at><at user_id="all">', company: '[公司](https://evil.example/c)' },
  conversation: { ...SAMPLE_CONTEXT.conversation, lastMessage: HOSTILE },
};
const template = { title: '购买信号：{{customer.name}}', body: '公司：{{customer.company}}\n**消息**：{{conversation.lastMessage}}' };

let emu: RobotEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const KINDS: [RobotKindId, Vendor][] = [
  ['feishu', 'feishu'],
  ['dingtalk', 'dingtalk'],
  ['wecom', 'wecom'],
  ['slack', 'slack'],
];

describe('hostile text stays text', () => {
  for (const [kind, vendor] of KINDS)
    for (const format of ['rich', 'text'] as const)
      it(`${kind} ${format}: no mention, link or tag comes from customer text`, async () => {
        const s = await setup();
        emu = s.emu;
        const url = emu.control.addRobot({ vendor });
        // A long message must still fit WeCom's 2048-byte text limit after escaping.
        const ctx = kind === 'wecom' && format === 'text' ? { ...context, conversation: { ...context.conversation, lastMessage: HOSTILE + '长'.repeat(1500) } } : context;
        await notify(robot(kind, url, { format }), {}, { template, context: ctx }, deps(emu, s.clock, kind));
        const m = emu.state.messages[0]!;
        const seen = interpret(m);
        expect(seen.mentions, JSON.stringify(m.body)).toEqual([]);
        expect(seen.links, JSON.stringify(m.body)).toEqual([]);
        expect(seen.tags, JSON.stringify(m.body)).toEqual([]);
        const body = JSON.stringify(m.body);
        // The words are still there for the group to read.
        for (const word of ['所有人', '点我领奖', '看这里', '紧急', '张三']) expect(body).toContain(word);
      });

  it('the literal markdown of the template is kept while values are escaped (DingTalk, WeCom)', async () => {
    const s = await setup();
    emu = s.emu;
    const d = emu.control.addRobot({ vendor: 'dingtalk' });
    const w = emu.control.addRobot({ vendor: 'wecom' });
    await notify(robot('dingtalk', d), {}, { template, context }, deps(emu, s.clock, 'dingtalk'));
    await notify(robot('wecom', w), {}, { template, context }, deps(emu, s.clock, 'wecom'));
    const [dm, wm] = emu.state.messages.map((m) => JSON.stringify(m.body));
    expect(dm).toContain('**消息**：');
    expect(wm).toContain('**消息**：');
    expect(dm).toContain('\\\\*\\\\*粗体\\\\*\\\\*'); // the customer's ** arrive escaped (JSON doubles the backslash)
  });

  it('Slack: & < > are sent as entities, as Slack documents', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'slack' });
    await notify(robot('slack', url, { format: 'text' }), {}, { template, context }, deps(emu, s.clock, 'slack'));
    const text = String(emu.state.messages[0]!.body.text);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toMatch(/<!channel>|<@U/);
  });
});

describe('escapers', () => {
  it('markdown: links, tags and line-start marks neutralised; dates, phones and amounts untouched', async () => {
    const { escapeMarkdown, escapeSlack, escapeFeishuText } = await import('../../../lib/notify/escape');
    expect(escapeMarkdown('2026-03-05 +8613800138000 3.65 万')).toBe('2026-03-05 +8613800138000 3.65 万');
    expect(escapeMarkdown('[a](https://x) ![i](y)')).toBe('\\[a\\](https://x) !\\[i\\](y)');
    expect(escapeMarkdown('# h\n> q\n- l\n+ l\n12. n\n  * b')).toBe('\\# h\n\\> q\n\\- l\n\\+ l\n12\\. n\n  \\* b');
    expect(escapeMarkdown('<font color="red">x</font> <@u1> **b** `c` ~~s~~ a\\b')).toBe('&lt;font color="red">x&lt;/font> &lt;@u1> \\*\\*b\\*\\* \\`c\\` \\~\\~s\\~\\~ a\\\\b');
    expect(escapeSlack('a & <!here> > b')).toBe('a &amp; &lt;!here&gt; &gt; b');
    expect(escapeFeishuText('<at user_id="all">x</at>')).toBe('<\u200Bat user_id="all">x<\u200B/at>');
  });
});
