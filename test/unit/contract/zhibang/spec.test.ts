// The declared half: valid against the shared spec schema (the registry meta-test will check it
// again once the adapter is registered) and UI-safe.
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import { zhibangSpec } from '../../../../lib/crm/zhibang/spec';

it('is a complete spec with help text in both languages', () => {
  expect(crmSpecSchema.safeParse(zhibangSpec).error).toBeUndefined();
  expect(zhibangSpec.auth.fields.filter((f) => f.secret).map((f) => f.key)).toEqual(['password']);
});

it('asks for the host permission of the self-hosted ERP only', () => {
  expect(hostPatternsFor(zhibangSpec, { host: 'http://192.168.1.20:8080' })).toEqual(['http://192.168.1.20/*']);
  expect(hostPatternsFor(zhibangSpec, { host: 'https://erp.example.cn/sysa/' })).toEqual(['https://erp.example.cn/*']);
});

it('imports nothing but the spec helpers (UI bundles must not carry the client)', () => {
  const src = readFileSync(new URL('../../../../lib/crm/zhibang/spec.ts', import.meta.url), 'utf8');
  expect([...src.matchAll(/^import .* from '(.+)';$/gm)].map((m) => m[1])).toEqual(['../spec']);
});
