import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { lastChatUrl, linkCustomer, rememberChatUrl, unlinkCustomer } from '../../../lib/customers/link';
import { NotFoundError } from '../../../lib/customers/errors';
import { useDb, at } from './helpers';

const t = useDb();
const now = at(2026, 3, 5);
const conv = { site: 'telegram', threadKey: '777' };

describe('link / unlink', () => {
  it('links a conversation to an existing customer and unlinks it', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    await linkCustomer(db, conv, c.id, now);
    expect(await db.identities.get(['telegram', '777'])).toMatchObject({ customerId: c.id });
    await unlinkCustomer(db, conv);
    expect(await db.identities.get(['telegram', '777'])).toBeUndefined();
  });

  it('refuses an unknown customer with NotFoundError (code not-found)', async () => {
    const err = await linkCustomer(t.db, conv, 'missing', now).catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.code).toBe('not-found');
    expect(await t.db.identities.count()).toBe(0);
  });

  it('remembers only http(s) chat URLs', async () => {
    const { db } = t;
    await rememberChatUrl(db, 'c1', 'https://web.telegram.org/a/#777');
    await rememberChatUrl(db, 'c1', 'javascript:alert(1)');
    await rememberChatUrl(db, 'c2', 'not a url');
    expect(await lastChatUrl(db, 'c1')).toBe('https://web.telegram.org/a/#777');
    expect(await lastChatUrl(db, 'c2')).toBeUndefined();
  });
});
