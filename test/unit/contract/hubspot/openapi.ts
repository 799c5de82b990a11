// HubSpot's own OpenAPI files (../shared/specs, read at test time, never copied here) as the
// contract for every request the adapter sends and every reply the emulator gives, through the
// shared validator (test/specs/openapi.ts: swagger-parser + ajv).
//
// Which file covers what: contacts, notes and tasks have their own files; deals go through the
// generic objects file (the deals file spells the path /crm/v3/objects/0-3); /crm/v4 through the
// associations file. Properties, owners and the token-info endpoint have no file in
// shared/specs: those requests are listed as uncovered, not passed. The order matters: the first
// file with a matching operation checks the request, so the specific files come before objects.
//
// Overlay (the files' known defects; each is a false rejection of a call HubSpot documents,
// patched here and nowhere else, and listed in the specs report):
//  search-required: PublicObjectSearchRequest.required lists after, limit, properties and sorts;
//    the search guide's own examples send filterGroups alone.
//  search-sorts: its sorts items are typed string; the search guide sorts with
//    {propertyName, direction}. Both forms are accepted.
//  reply-null-properties: SimplePublicObject(WithAssociations).properties values are typed
//    string; HubSpot returns null for a requested property that is defined but empty (notes
//    guide, "Retrieve notes"). Replies only: inputs stay strings.
//  create-associations: SimplePublicObjectInputForCreate requires associations; the guides
//    create with properties alone (SOURCES.md, HubSpot defect 1).
import { loadSpec, validatingFetch, type Patch, type Spec } from '../../../specs/openapi';

export const HUBSPOT_FILES = ['hubspot.crm-contacts-v3.json', 'hubspot.crm-notes-v3.json', 'hubspot.crm-tasks-v3.json', 'hubspot.crm-associations-v4.json', 'hubspot.crm-objects-v3.json'] as const;

const SEARCH_GUIDE = 'developers.hubspot.com/docs/guides/api/crm/search (examples send filterGroups alone; sorts as {propertyName, direction})';
const v3Patches: Patch[] = [
  { id: 'search-required', reason: SEARCH_GUIDE, op: 'replace', path: '/components/schemas/PublicObjectSearchRequest/required', value: ['filterGroups'] },
  {
    id: 'search-sorts', reason: SEARCH_GUIDE, op: 'replace', path: '/components/schemas/PublicObjectSearchRequest/properties/sorts/items',
    value: { anyOf: [{ type: 'string' }, { type: 'object', required: ['propertyName'], properties: { propertyName: { type: 'string' }, direction: { type: 'string', enum: ['ASCENDING', 'DESCENDING'] } } }] },
  },
  ...['SimplePublicObject', 'SimplePublicObjectWithAssociations'].map((name): Patch => ({
    id: `reply-null-properties:${name}`, reason: 'developers.hubspot.com/docs/guides/api/crm/engagements/notes ("Retrieve notes": a requested property with no value comes back null)',
    op: 'add', path: `/components/schemas/${name}/properties/properties/additionalProperties/nullable`, value: true,
  })),
  { id: 'create-associations', reason: 'shared/specs/SOURCES.md HubSpot defect 1: associations marked required on create; the guides create with properties alone', op: 'replace', path: '/components/schemas/SimplePublicObjectInputForCreate/required', value: ['properties'] },
];

export const HUBSPOT_PATCHES: Record<(typeof HUBSPOT_FILES)[number], Patch[]> = {
  'hubspot.crm-contacts-v3.json': v3Patches,
  'hubspot.crm-notes-v3.json': v3Patches,
  'hubspot.crm-tasks-v3.json': v3Patches,
  'hubspot.crm-objects-v3.json': v3Patches,
  'hubspot.crm-associations-v4.json': [],
};

export function hubspotSpecs(): Promise<Spec[]> {
  return Promise.all(HUBSPOT_FILES.map((f) => loadSpec(f, { patches: HUBSPOT_PATCHES[f] })));
}

/** The adapter's fetch, checked against HubSpot's files (see test/specs/openapi.ts for the log). */
export async function hubspotFetch(base?: typeof fetch, o: { report?: boolean } = {}) {
  return validatingFetch('hubspot', HUBSPOT_FILES.map((f) => loadSpec(f, { patches: HUBSPOT_PATCHES[f] })), { ...(base ? { base } : {}), ...o });
}

const AUTH = { authorization: 'Bearer pat-test', 'content-type': 'application/json' };

/** Violations of one request (by hand, for tests of the check itself). */
export async function checkRequest(method: string, url: URL, body: unknown): Promise<{ template?: string; violations: string[] }> {
  for (const s of await hubspotSpecs()) {
    const c = s.check(method, url, body, AUTH);
    if (c.operation) return { template: c.operation.template, violations: c.errors };
  }
  return { violations: [] };
}

/** Violations of one reply (by hand). */
export async function checkResponse(method: string, url: URL, status: number, body: unknown): Promise<string[]> {
  for (const s of await hubspotSpecs()) {
    const c = s.checkReply(method, url, status, body);
    if (c.operation) return c.errors;
  }
  return [];
}
