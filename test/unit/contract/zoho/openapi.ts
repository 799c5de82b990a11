// Zoho's own OpenAPI files (../shared/specs/zoho-crm/v8.0, zoho/crm-oas @ 45dff2cc9c69; read at
// test time, never copied here) as the contract for every request the adapter sends and every
// reply the emulator gives, through the shared validator (test/specs/openapi.ts). The files refer
// to each other by raw GitHub URL: the urlMap sends that prefix to the local folder. The first
// file whose operation matches a request checks it, so the specific files come before
// record.json's catch-all /crm/v8/{module_api_name}/{id}.
//
// Overlay (each patch recorded in the specs report):
//  notes-if-modified-since: notes.json refers to #/components/parameters/If-Modified-Since, which
//    the file lacks (SOURCES.md: dangling ref; no tool loads the file without it). Declared as
//    record.json declares it: an optional header.
//  notes-server-fields: the Note schema (the create body) requires server-side fields (id,
//    Created_Time, Modified_By, $state…; SOURCES.md: every real creation is rejected). Required
//    instead: Note_Content and Parent_Id, what zoho.com/crm/developer/docs/api/v8/create-notes.html
//    has a client send.
//  zoho-oauthtoken:<file>: the files declare an oauth2 scheme, which the validator satisfies with
//    "Authorization: Bearer"; Zoho's OAuth pages send "Authorization: Zoho-oauthtoken <token>".
//    Declared as an Authorization header (the emulator checks the Zoho-oauthtoken form itself).
//  records-branch:<file>:<op>: the 200 replies are oneOf [records, {file}, error] whose branches
//    have no required members, so every reply matches two or three branches and oneOf rejects
//    them all; anyOf would let {file} accept anything. The records branch alone is kept (the
//    emulator answers errors with 4xx statuses).
//  notes-list-ids: GET /crm/v8/Notes shares DELETE's `ids` parameter, required there.
//  no-content:<op>: Zoho answers 204 No Content when a search, a list or a related list finds
//    nothing (v8 "Search Records", "Get Records", "Related Records" pages); the files declare 200 only.
//  notes-parent-module: Parent_Id.module is modules.json's Minified_Module, which requires the
//    module's id; the create-notes page sends {"module": {"api_name": "Leads"}, "id": …}.
//  users-email-pattern: users.email has the pattern [a-z0-9]{9}[@][a-z0-9]{5}[.]com (an example
//    address made a rule); no real address passes.
//  fields-create-body: fields.json's requestBodies/body is circular (wrapper → fields → …) and stays
//    an unresolved $ref, so no body could be checked. Replaced by the Create Custom Field body
//    of the v8 page (fields[] with field_label, data_type, length, unique).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSpec, specsAvailable, specsDir, validatingFetch, type Patch } from '../../../specs/openapi';

const urlMap = { 'https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/': 'zoho-crm/v8.0/' };
// module_search.json's /{module}/search duplicates record.json's Search Records without page/per_page: record.json's is used.
export const ZOHO_FILES = ['fields.json', 'users.json', 'org.json', 'notes.json', 'related_records.json', 'record.json'].map((f) => `zoho-crm/v8.0/${f}`);

const ptr = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
/** The operations the adapter uses, per file: [method, path]. */
const USED: Record<string, [string, string][]> = {
  'record.json': [['get', '/crm/v8/{module_api_name}/{id}'], ['put', '/crm/v8/{module_api_name}/{id}'], ['get', '/crm/v8/{module_api_name}'], ['post', '/crm/v8/{module_api_name}'], ['post', '/crm/v8/{module_api_name}/upsert'], ['get', '/crm/v8/{module_api_name}/search']],
  'related_records.json': [['get', '/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}']],
  'notes.json': [['get', '/crm/v8/Notes']],
};
const NO_CONTENT: Record<string, string[]> = {
  'record.json': ['/crm/v8/{module_api_name}/{id}', '/crm/v8/{module_api_name}', '/crm/v8/{module_api_name}/search'],
  'related_records.json': ['/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}'],
  'notes.json': ['/crm/v8/Notes'],
};

function patchesFor(file: string): Patch[] {
  const name = file.split('/').pop()!;
  const raw = JSON.parse(readFileSync(resolve(specsDir(), file), 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { oneOf?: unknown[] } }> }> }>> };
  const out: Patch[] = [{ id: `zoho-oauthtoken:${name}`, reason: 'zoho.com/crm/developer/docs/api/v8/oauth-overview.html: requests carry "Authorization: Zoho-oauthtoken <access token>", not Bearer', op: 'replace', path: '/components/securitySchemes/iam-oauth2-schema', value: { type: 'apiKey', in: 'header', name: 'Authorization' } }];
  if (name === 'notes.json') {
    out.push(
      { id: 'notes-if-modified-since', reason: 'shared/specs/SOURCES.md Zoho defect: dangling $ref #/components/parameters/If-Modified-Since; declared as in record.json (optional header)', op: 'add', path: '/components/parameters/If-Modified-Since', value: { name: 'If-Modified-Since', in: 'header', required: false, schema: { type: 'string', format: 'date-time' } } },
      { id: 'notes-parent-module', reason: 'v8 create-notes page: Parent_Id.module is sent as {api_name}; the shared Minified_Module (modules.json, also used for replies) requires the module id too', op: 'replace', path: '/components/schemas/Parent_Id/properties/module', value: { type: 'object', required: ['api_name'], properties: { api_name: { type: 'string' }, id: { type: 'string' } } } },
      { id: 'notes-list-ids', reason: 'GET /Notes shares the ids parameter of DELETE /Notes, where it is required; the v8 get-notes page lists all notes without ids', op: 'replace', path: `/paths/${ptr('/crm/v8/Notes')}/get/parameters/5`, value: { name: 'ids', in: 'query', required: false, schema: { type: 'string' } } },
      { id: 'notes-server-fields', reason: 'shared/specs/SOURCES.md Zoho defect: the Note schema requires server-side fields on create; v8 create-notes page: a client sends Note_Content and Parent_Id', op: 'replace', path: '/components/schemas/Note/required', value: ['Note_Content', 'Parent_Id'] },
    );
  }
  if (name === 'users.json') out.push({ id: 'users-email-pattern', reason: 'users.email carries the pattern [a-z0-9]{9}[@][a-z0-9]{5}[.]com (an example address turned into a rule): any real address such as li.na@example.com fails', op: 'remove', path: '/components/schemas/users/properties/email/pattern' });
  if (name === 'fields.json') {
    out.push({ id: 'fields-create-body', reason: 'requestBodies/body is circular (wrapper → fields) and stays unresolved; the v8 "Create Custom Field" page body', op: 'replace', path: `/paths/${ptr('/crm/v8/settings/fields')}/post/requestBody`, value: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['fields'], properties: { fields: { type: 'array', minItems: 1, items: { type: 'object', required: ['field_label', 'data_type'], properties: { field_label: { type: 'string', minLength: 1 }, data_type: { type: 'string', enum: ['text', 'textarea', 'email', 'phone', 'picklist', 'multiselectpicklist', 'date', 'datetime', 'integer', 'currency', 'double', 'boolean', 'website', 'lookup', 'autonumber', 'bigint', 'percent'] }, length: { type: 'integer', minimum: 1, maximum: 255 }, unique: { type: 'object', properties: { casesensitive: { type: 'boolean' } } } } } } } } } } } });
  }
  for (const [m, p] of USED[name] ?? []) {
    const schema = raw.paths[p]?.[m]?.responses['200']?.content?.['application/json']?.schema;
    if (!schema?.oneOf) continue;
    out.push({ id: `records-branch:${name}:${m} ${p}`, reason: 'the 200 reply is oneOf [records, {file}, error] with no required members: every reply matches several branches and fails oneOf, and {file} alone would match anything; the records branch is kept (errors come with 4xx here)', op: 'replace', path: `/paths/${ptr(p)}/${m}/responses/200/content/application~1json/schema`, value: schema.oneOf[0] });
  }
  for (const p of NO_CONTENT[name] ?? []) out.push({ id: `no-content:${name}:GET ${p}`, reason: 'Zoho v8 pages: 204 No Content when nothing is found', op: 'add', path: `/paths/${ptr(p)}/get/responses/204`, value: { description: 'No Content' } });
  return out;
}

const load = (f: string) => loadSpec(f, { urlMap, patches: specsAvailable(f) ? patchesFor(f) : [] });
export const zohoSpecs = () => Promise.all(ZOHO_FILES.map(load));
export async function zohoFetch(base?: typeof fetch) {
  return validatingFetch('zoho', ZOHO_FILES.map(load), base ? { base } : {});
}
