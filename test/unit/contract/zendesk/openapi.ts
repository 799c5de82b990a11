// Zendesk's own OpenAPI file (../shared/specs/zendesk.yaml = developer.zendesk.com/zendesk/oas.yaml,
// third-party copy of 2025-05; read at test time, never copied here) as the contract for every
// request the adapter sends and every reply the emulator gives, through the shared validator
// (test/specs/openapi.ts).
//
// Overlay (recorded in the specs report):
//  ticket-custom-fields: TicketUpdateInput (and so TicketCreateInput) types custom_fields[] items
//    as the ticket-field definition (CustomFieldObject, which requires key, type and title), so
//    every documented {id, value} item is refused (SOURCES.md, Zendesk defect). The items are
//    {id, value} as "Setting custom field values" (creating-and-updating-tickets) and the file's
//    own TicketObject.custom_fields describe them.
import { loadSpec, validatingFetch, type Patch } from '../../../specs/openapi';

export const ZENDESK_FILE = 'zendesk.yaml';
export const ZENDESK_PATCHES: Patch[] = [
  {
    id: 'ticket-custom-fields',
    reason: 'shared/specs/SOURCES.md Zendesk defect: ticket custom_fields[] items reuse the ticket-field definition (requires key,type,title); documented items are {id, value}',
    op: 'replace',
    path: '/components/schemas/TicketUpdateInput/properties/custom_fields/items',
    value: { type: 'object', properties: { id: { type: 'integer' }, value: { type: ['string', 'number', 'boolean', 'array', 'null'], items: { type: 'string' } } }, required: ['id', 'value'] },
  },
];

export const zendeskSpecFile = () => loadSpec(ZENDESK_FILE, { patches: ZENDESK_PATCHES });

export async function zendeskFetch(base?: typeof fetch) {
  return validatingFetch('zendesk', [zendeskSpecFile()], base ? { base } : {});
}
