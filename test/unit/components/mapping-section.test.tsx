// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MappingSection, lookupsToText, parseLookups } from '../../../components/options/MappingSection';
import { createPageT } from '../../../lib/i18n/pages';
import { applyMapping, compileMapping, FILTER_NAMES, MAPPING_SECTIONS, mappingIssues, SAMPLE_CONTEXT, VARIABLES, type TemplateMapping } from '../../../lib/mapping';
import type { MappingPreview, MappingView } from '../../../lib/strategy/messages';

afterEach(cleanup);

const effective: TemplateMapping = { customer: { firstname: '{{customer.name}}', phone: '{{customer.phone}}' }, followUp: { hs_note_body: '{{followUp.content}}' } };
const view = (over: Partial<MappingView> = {}): MappingView => ({
  own: {},
  effective,
  variables: Object.entries(VARIABLES).map(([name, v]) => ({ name, label: v.label })),
  filters: [...FILTER_NAMES],
  fields: { customer: [{ name: 'firstname', label: 'First name' }, { name: 'phone' }, { name: 'lifecyclestage', label: 'Lifecycle stage', type: 'enumeration' }, { name: 'hs_lead_status' }] },
  ...over,
});

/** The real template engine on the sample customer, as the background's preview does. */
async function preview(_id: string, templates: TemplateMapping): Promise<MappingPreview> {
  const issues = mappingIssues(templates);
  if (issues.length) return { values: {}, issues, subject: 'sample' };
  const merged: TemplateMapping = { ...templates };
  for (const s of MAPPING_SECTIONS) merged[s] = { ...(effective[s] ?? {}), ...(templates[s] ?? {}) };
  const compiled = compileMapping(merged);
  const values: MappingPreview['values'] = {};
  for (const s of MAPPING_SECTIONS) values[s] = applyMapping(compiled, SAMPLE_CONTEXT, s);
  return { values, issues: [], subject: { customerId: 'c1', name: '张三', code: 'KH2026-0001' } };
}

const rows = () => screen.getAllByTestId('mapping-row');
const row = (field: string) => rows().find((r) => r.getAttribute('data-field') === field)!;
const cell = (field: string) => row(field).querySelector('[data-testid="mapping-preview-value"]')!.textContent;

function setup(v = view(), save = vi.fn(async (_c: string, own: TemplateMapping) => ({ own }))) {
  render(<MappingSection t={createPageT('zh_CN')} connections={[{ id: 'hs', name: 'HubSpot' }]} load={async () => v} preview={preview} save={save} debounceMs={0} />);
  return save;
}

describe('MappingSection (字段映射)', () => {
  it('shows the defaults with a live preview on the customer beside the chat', async () => {
    setup();
    await waitFor(() => expect(cell('firstname')).toBe('张三'));
    expect(row('firstname').getAttribute('data-default')).toBe('true');
    expect(cell('phone')).toBe('+8613800138000');
    expect(screen.getByTestId('mapping-subject').textContent).toContain('张三');
    expect(screen.getByTestId('mapping-subject').getAttribute('data-subject')).toBe('customer');
  });

  it('editing a template previews it at once; a lookup table maps 意向等级 to the picklist', async () => {
    setup();
    await screen.findAllByTestId('mapping-row');
    fireEvent.input(screen.getByTestId('mapping-add-field'), { target: { value: 'hs_lead_status' } });
    fireEvent.input(screen.getByTestId('mapping-add-template'), { target: { value: '{{customer.intentLevel|lookup:intent}}' } });
    fireEvent.click(screen.getByTestId('mapping-add'));
    // Without the table the template is refused, with the reason under the field.
    await waitFor(() => expect(row('hs_lead_status').querySelector('[data-testid="mapping-issue"]')?.textContent).toMatch(/intent/));
    fireEvent.input(screen.getByTestId('mapping-lookups'), { target: { value: 'intent: 高=Hot; 中=Warm' } });
    await waitFor(() => expect(cell('hs_lead_status')).toBe('Hot'));
    fireEvent.input(row('firstname').querySelector('input')!, { target: { value: '{{senderName}}（{{customer.company}}）' } });
    await waitFor(() => expect(cell('firstname')).toBe('张三（示例贸易有限公司）'));
    expect(row('firstname').getAttribute('data-default')).toBe('false');
  });

  it("lists a picklist field's CRM values under its template", async () => {
    setup(view({ effective: { customer: { lifecyclestage: 'lead' } }, fields: { customer: [{ name: 'lifecyclestage', type: 'enumeration', options: ['subscriber', 'lead', 'customer'] }] } }));
    await screen.findAllByTestId('mapping-row');
    expect(row('lifecyclestage').querySelector('[data-testid="mapping-options"]')?.textContent).toContain('subscriber / lead / customer');
  });

  it('flags a field the CRM does not have before saving, and an unknown variable with a hint', async () => {
    setup();
    await screen.findAllByTestId('mapping-row');
    fireEvent.input(screen.getByTestId('mapping-add-field'), { target: { value: 'lifecycle_stage' } });
    expect(screen.getByTestId('mapping-add-unknown').textContent).toContain('lifecycle_stage');
    expect((screen.getByTestId('mapping-add') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(row('firstname').querySelector('input')!, { target: { value: '{{senderNam}}' } });
    await waitFor(() => expect(row('firstname').querySelector('[data-testid="mapping-issue"]')?.textContent).toMatch(/senderNam.*senderName/));
  });

  it('saves only the user’s own templates and lookups; revert drops an override', async () => {
    const save = setup();
    await screen.findAllByTestId('mapping-row');
    fireEvent.input(row('firstname').querySelector('input')!, { target: { value: '{{customer.lastName}}' } });
    fireEvent.input(row('phone').querySelector('input')!, { target: { value: '{{customer.phone|phone:national}}' } });
    fireEvent.click(row('phone').querySelector('[data-testid="mapping-remove"]')!);
    fireEvent.input(screen.getByTestId('mapping-lookups'), { target: { value: 'intent: 高=Hot' } });
    fireEvent.click(screen.getByTestId('mapping-save'));
    await waitFor(() => expect(save).toHaveBeenCalledWith('hs', { customer: { firstname: '{{customer.lastName}}' }, lookups: { intent: { 高: 'Hot' } } }));
    await screen.findByTestId('mapping-saved');
  });

  it('a refused save shows the background’s reason; a CRM that cannot list fields is said so', async () => {
    const save = vi.fn(async () => {
      throw new Error('customer.x: CRM 没有这个字段');
    });
    setup(view({ fields: undefined, fieldsError: 'HubSpot 暂时无法访问' }), save);
    await screen.findByTestId('mapping-fields-error');
    fireEvent.click(screen.getByTestId('mapping-save'));
    expect((await screen.findByTestId('mapping-save-error')).textContent).toContain('customer.x');
  });

  it('clicking a variable inserts it into the template being edited', async () => {
    setup();
    await screen.findAllByTestId('mapping-row');
    const input = row('firstname').querySelector('input')!;
    fireEvent.focus(input);
    input.setSelectionRange(input.value.length, input.value.length);
    fireEvent.click(screen.getAllByTestId('mapping-var').find((b) => b.getAttribute('data-var') === 'customer.code')!);
    await waitFor(() => expect(cell('firstname')).toBe('张三KH2026-0001'));
  });
});

describe('lookup table text', () => {
  it('round-trips and reports the malformed line', () => {
    const l = { intent: { 高: 'Hot', 中: 'Warm' }, stage: { 成交: 'closedwon' } };
    expect(parseLookups(lookupsToText(l))).toEqual({ lookups: l });
    expect(parseLookups('intent: 高=Hot；中=Warm')).toEqual({ lookups: { intent: { 高: 'Hot', 中: 'Warm' } } });
    expect(parseLookups('intent: 高=Hot\nbroken line')).toEqual({ error: 2 });
    expect(parseLookups('  \n')).toEqual({});
  });
});
