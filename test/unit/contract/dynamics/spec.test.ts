// The declared half: a valid spec with OAuth + PKCE through the user's own Entra app, the
// environment URL as the only per-tenant host, help text that walks through the registration.
import { describe, expect, it } from 'vitest';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import { dynamicsSpec } from '../../../../lib/crm/dynamics/spec';
import { createDynamicsAdapter } from '../../../../lib/crm/dynamics/adapter';
import { odataString, rowIdFor } from '../../../../lib/crm/dynamics/client';
import { attributeOf } from '../../../../lib/crm/dynamics/errors';
import { keyOf, noteBody, readNote } from '../../../../lib/crm/dynamics/values';
import { expandTemplate } from '../../../../lib/oauth/template';
import { followUp } from './helpers';

describe('Dynamics spec', () => {
  it('is valid: oauth2-pkce without secret, Entra v2 endpoints per tenant, the environment scope, native notes/tasks/opportunities, upsert, the whole read side', () => {
    const p = crmSpecSchema.parse(dynamicsSpec);
    expect(p.auth.kind).toBe('oauth2-pkce');
    expect(p.auth.oauth).toMatchObject({
      authorizeUrl: 'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/authorize',
      tokenUrl: 'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token',
      scopes: ['{{orgUrl}}/user_impersonation', 'offline_access'],
      clientSecret: 'none',
    });
    expect(p.auth.fields.map((f) => f.key)).toEqual(['orgUrl', 'tenant', 'clientId']);
    expect(p.auth.fields.every((f) => !f.secret)).toBe(true);
    expect(p.capabilities).toMatchObject({ followUps: 'native', tasks: 'native', deals: 'native', read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', conditionalUpdate: true } });
    expect(p.idempotency).toBe('upsert');
    const help = dynamicsSpec.auth.fields[2]!.help;
    for (const step of ['chromiumapp.org', 'user_impersonation', 'Dynamics CRM']) {
      expect(help.en).toContain(step);
      expect(help.zh_CN).toContain(step);
    }
    expect(help.en).toContain('Single-page application');
    expect(expandTemplate(p.auth.oauth!.scopes[0]!, { orgUrl: 'https://contoso.crm5.dynamics.com/' })).toBe('https://contoso.crm5.dynamics.com/user_impersonation');
  });

  it('host permissions: the Entra login host and the environment the user entered, nothing wider', () => {
    expect(hostPatternsFor(dynamicsSpec, { orgUrl: 'https://contoso.crm5.dynamics.com' })).toEqual(['https://login.microsoftonline.com/*', 'https://contoso.crm5.dynamics.com/*']);
    expect(hostPatternsFor(dynamicsSpec, {})).toEqual(['https://login.microsoftonline.com/*']);
  });

  it('builds without settings (the registry meta-test does) and fails only when used; never sends the token over http', async () => {
    const make = (settings: Record<string, unknown>, secrets: Record<string, string>) => createDynamicsAdapter({ db: null, connection: { id: crypto.randomUUID(), kind: 'dynamics', name: 'x', enabled: true, settings, createdAt: 0 }, secrets, now: Date.now });
    await expect(make({}, {}).verify()).rejects.toMatchObject({ kind: 'validation' });
    await expect(make({ orgUrl: 'https://contoso.crm.dynamics.com', tenant: 't', clientId: 'c' }, {}).verify()).rejects.toMatchObject({ kind: 'auth' });
    await expect(make({ orgUrl: 'http://contoso.crm.dynamics.com', tenant: 't', clientId: 'c' }, { access_token: 'x' }).verify()).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('https') });
  });

  it('OData literals double quotes; row ids from keys are stable GUIDs; the key line reads back', async () => {
    expect(odataString("o'brien")).toBe("'o''brien'");
    const k = crypto.randomUUID();
    expect(await rowIdFor(k)).toBe(k);
    expect(await rowIdFor('x')).toBe(await rowIdFor('x'));
    expect(await rowIdFor('x')).not.toBe(await rowIdFor('y'));
    const body = noteBody(followUp({ content: '第一行\n第二行' }), 'k-1');
    expect(keyOf(body.notetext)).toBe('k-1');
    expect(readNote(body.subject, body.notetext)).toMatchObject({ content: '第一行\n第二行', method: '电话', result: '有意向', nextAction: '发方案' });
    expect(readNote('电话', '[Liaison fake] 在中间\n别的')).toMatchObject({ content: '[Liaison fake] 在中间\n别的' });
    expect(attributeOf("The property 'new_x' does not exist on type 'Microsoft.Dynamics.CRM.contact'.")).toBe('new_x');
  });
});
