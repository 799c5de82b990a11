// hostPatternsFor: a string pattern's {{field}} templates are filled from the form values (Zoho's
// data centre), skipped when the value is missing, and never widened by a value that is not made
// of host characters.
import { expect, it } from 'vitest';
import { hostPatternsFor } from '../../../lib/crm/spec';
import { zohoSpec } from '../../../lib/crm/zoho/spec';

it('Zoho asks for the chosen data centre only', () => {
  expect(hostPatternsFor(zohoSpec, { dc: 'com.cn' })).toEqual(['https://accounts.zoho.com.cn/*', 'https://www.zohoapis.com.cn/*']);
  expect(hostPatternsFor(zohoSpec, { dc: 'eu' })).toEqual(['https://accounts.zoho.eu/*', 'https://www.zohoapis.eu/*']);
});

it('a missing or hostile value skips the pattern; patterns without templates are unchanged', () => {
  expect(hostPatternsFor(zohoSpec, {})).toEqual([]);
  expect(hostPatternsFor(zohoSpec, { dc: '' })).toEqual([]);
  expect(hostPatternsFor(zohoSpec, { dc: 'com/*' })).toEqual([]);
  expect(hostPatternsFor(zohoSpec, { dc: 'com.evil.example/x' })).toEqual([]);
  expect(hostPatternsFor(zohoSpec, { dc: 42 })).toEqual([]);
  expect(hostPatternsFor({ hostPermissions: ['https://api.hubapi.com/*', 'https://{{a}}.{{b}}.example/*'] }, { a: 'x' })).toEqual(['https://api.hubapi.com/*']);
  expect(hostPatternsFor({ hostPermissions: ['https://{{a}}.{{b}}.example/*'] }, { a: 'X', b: 'y-1' })).toEqual(['https://x.y-1.example/*']);
});
