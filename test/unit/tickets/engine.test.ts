// The complaint suggestion from the understanding engine (issue 17): a complaint in the chat
// gives a 创建售后单 draft quoting it; the draft's text is kept in memory only unless the user
// keeps transcripts; a ticket filed from the message answers the suggestion.
import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { createCustomer } from '../../../lib/customers/create';
import { createTicket } from '../../../lib/customers/ticket';
import { createUnderstandingEngine } from '../../../lib/suggest/engine';
import { getSettings, saveSettings } from '../../../lib/settings/store';
import type { Conversation, CustomerView } from '../../../lib/model';

const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);
const COMPLAINT = '收到的货坏了，屏幕裂开了，我要投诉！';
let db: LiaisonDb;
afterEach(async () => {
  await db?.delete();
});

async function setup() {
  db = new LiaisonDb('engine-' + crypto.randomUUID());
  const customer = await createCustomer(db, { fields: { name: '张伟', phones: ['13800138000'] } }, NOW);
  const conversation = {
    site: 'demo',
    threadKey: 'u_1',
    contact: { displayName: '张伟', handles: {} },
    messages: [
      { id: 'm0', direction: 'out', text: '您好', at: NOW - 60_000 },
      { id: 'm1', direction: 'in', text: COMPLAINT, at: NOW - 30_000 },
    ],
  } as unknown as Conversation;
  const view = { site: 'demo', threadKey: 'u_1', status: 'known', customer } as unknown as CustomerView;
  const engine = () => createUnderstandingEngine({ db, now: () => NOW, effects: () => ({}) as never, changed: async () => undefined });
  return { customer, conversation, view, engine };
}

// The first observation loads the understanding model's weights: slow on a loaded machine.
describe('the complaint suggestion from the engine', { timeout: 30_000 }, () => {
  it('drafts the ticket from the message, keeps its text out of storage by default, and goes once a ticket was filed', async () => {
    const { customer, conversation, view, engine } = await setup();
    const first = engine();
    const observed = await first.observed(conversation, view);
    const s = observed?.suggestions.items.find((i) => i.kind === 'ticket');
    expect(s).toMatchObject({ kind: 'ticket', complaintKind: 'complaint', ticket: { subject: COMPLAINT, category: '售后', priority: '高' } });
    expect(s?.kind === 'ticket' && s.ticket?.description).toContain(`> ${COMPLAINT}`);
    // Stored understanding (kv) carries no quoted messages (the follow-up draft's summary is stored as before)…
    const stored = (await db.kv.toArray()).filter((r) => r.key.startsWith('understood:')).map((r) => r.value as { complaint?: Record<string, unknown> });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.complaint).toEqual({ kind: 'complaint', term: expect.any(String), messageId: 'm1' });
    expect(JSON.stringify(stored)).not.toContain('> ');
    // …so a restarted worker offers the complaint without the draft.
    const restarted = await engine().forView(view);
    const again = restarted?.items.find((i) => i.kind === 'ticket');
    expect(again).toBeDefined();
    expect(again && 'ticket' in again ? again.ticket : undefined).toBeUndefined();

    // Filed from that message: the suggestion is answered.
    await createTicket(db, customer.id, { ...s!.ticket!, description: s!.ticket!.description }, NOW);
    const after = await first.forView(view);
    expect(after?.items.some((i) => i.kind === 'ticket')).toBe(false);
  });

  it('keeps the draft in storage where the user keeps transcripts', async () => {
    const { conversation, view, engine } = await setup();
    await saveSettings(db, { ...(await getSettings(db)), keepTranscripts: true });
    await engine().observed(conversation, view);
    const restarted = await engine().forView(view);
    const s = restarted?.items.find((i) => i.kind === 'ticket');
    expect(s && 'ticket' in s ? s.ticket?.subject : undefined).toBe(COMPLAINT);
  });
});
