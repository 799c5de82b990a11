// Trello's own OpenAPI file (../shared/specs/trello.json = developer.atlassian.com/cloud/trello/
// swagger.v3.json, third-party copy kevinhillinger/trello-mcp-server @ 54da12ec2a05, 2026-01-30;
// read at test time, never copied here) as the contract for every request the adapter sends and
// every reply the emulator gives, through the shared validator (test/specs/openapi.ts).
//
// Overlay: recorded patches, each with its reason, each checked in spec.test.ts (the file as it
// is refuses what Trello sends or answers; the patched one takes it; nothing else changes):
// - The two writes take their inputs as a JSON body. The file declares every input of POST /cards
//   and POST /cards/{id}/actions/comments as a query parameter, and Trello takes them there, but
//   its edge refuses a URL over about 8 KB with 414 (mheap/trello-cli#241, 2026-08-18: reached at
//   ~900 CJK characters of description, each percent-encoded to 9 bytes); Trello reads the same
//   parameters from a JSON body (n8n-io/n8n#10189, 2024-07-25, moved its Trello node to bodies
//   for this). The body schema is DERIVED from the file's own query parameters at load time (same
//   names, same schemas, the same required list, nothing else allowed); the key and token stay
//   in the query string, as the file's securitySchemes say.
// - due on POST /cards is `format: date` (SOURCES.md lists it on PUT /cards/{id}: POST has it too),
//   while Trello's due is a moment: its cards answer "due":"2026-12-10T04:00:00.000Z"; Liaison
//   sends the ISO date-time. The Card schema's due, badges.due and badges.start have the same defect.
// - idLabels / idMembers are arrays in the file; Trello's reference calls them "comma-separated
//   lists" of ids, which Liaison sends: the body schema takes either form.
// - keepFromSource's enum lists "start" twice: a schema error once it is a body property.
// - Card.labels is typed as a list of ids, while Trello answers label objects ({id, idBoard, name,
//   color}: the Label schema of the same file; Card.idLabels holds the ids).
// - Card.cardRole and Color are nullable enums whose enum lacks null (OpenAPI 3.0.3 asks for it),
//   while Trello answers null for an ordinary card's role and a colourless cover or label.
// - The shared 401 and 404 responses are declared as JSON {code, message}; Trello answers them in
//   plain text ("invalid token": py-trello#367; "unauthorized permission requested").
// SOURCES.md's other defect (POST /cards' `$ref` idList that Prism did not check when missing)
// does not apply to this validator: spec.test.ts shows the derived body refuses a card without
// idList.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSpec, specsAvailable, specsDir, validatingFetch, type Patch } from '../../../specs/openapi';

export const TRELLO_FILE = 'trello.json';

type Json = Record<string, any>;
const ID_LIST = '^[0-9a-fA-F]{24}(,[0-9a-fA-F]{24})*$';

/** The operation's query parameters as one JSON body schema (names, schemas and required list from the file). */
function bodyFromQuery(op: Json): Json {
  const query = (op.parameters as Json[]).filter((p) => p.in === 'query');
  return {
    required: true,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: query.filter((p) => p.required).map((p) => p.name),
          properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
        },
      },
    },
  };
}

function patchesFrom(doc: Json): Patch[] {
  const cards = doc.paths['/cards'].post;
  const comments = doc.paths['/cards/{id}/actions/comments'].post;
  const body = 'Trello refuses a URL over ~8 KB (414, mheap/trello-cli#241) and reads the same parameters from a JSON body (n8n-io/n8n#10189): the body schema is the file’s own query parameters';
  const dateTime = 'Trello’s due is a moment (its replies carry e.g. 2026-12-10T04:00:00.000Z); the file says format date (SOURCES.md defect, on POST as well as PUT)';
  const nullEnum = 'a nullable enum must list null (OpenAPI 3.0.3); Trello answers null';
  const cardsBody = '/paths/~1cards/post/requestBody/content/application~1json/schema/properties';
  const commaList = (name: string): Patch => ({ id: `post-cards-${name.toLowerCase()}-comma`, reason: `Trello’s reference: ${name} is a comma-separated list of ids`, op: 'replace', path: `${cardsBody}/${name}`, value: { anyOf: [cards.parameters.find((p: Json) => p.name === name).schema, { type: 'string', pattern: ID_LIST }] } });
  return [
    { id: 'post-cards-json-body', reason: body, op: 'add', path: '/paths/~1cards/post/requestBody', value: bodyFromQuery(cards) },
    { id: 'post-cards-no-query', reason: body, op: 'replace', path: '/paths/~1cards/post/parameters', value: (cards.parameters as Json[]).filter((p) => p.in !== 'query') },
    { id: 'post-comments-json-body', reason: body, op: 'add', path: '/paths/~1cards~1{id}~1actions~1comments/post/requestBody', value: bodyFromQuery(comments) },
    { id: 'post-comments-no-query', reason: body, op: 'replace', path: '/paths/~1cards~1{id}~1actions~1comments/post/parameters', value: (comments.parameters as Json[]).filter((p) => p.in !== 'query') },
    { id: 'post-cards-due-date-time', reason: dateTime, op: 'replace', path: `${cardsBody}/due/format`, value: 'date-time' },
    { id: 'post-cards-keepfromsource-enum', reason: 'keepFromSource’s enum lists "start" twice, which a JSON Schema validator refuses as a schema once the parameter is a body property; the same values once each', op: 'replace', path: `${cardsBody}/keepFromSource/enum`, value: [...new Set(cards.parameters.find((p: Json) => p.name === 'keepFromSource').schema.enum)] },
    commaList('idLabels'),
    commaList('idMembers'),
    { id: 'card-due-date-time', reason: dateTime, op: 'replace', path: '/components/schemas/Card/properties/due/format', value: 'date-time' },
    { id: 'card-badges-start-date-time', reason: 'Trello’s start is a moment like due; the file says format date', op: 'replace', path: '/components/schemas/Card/properties/badges/properties/start/format', value: 'date-time' },
    { id: 'card-badges-due-date-time', reason: dateTime, op: 'replace', path: '/components/schemas/Card/properties/badges/properties/due/format', value: 'date-time' },
    { id: 'card-labels-objects', reason: 'Trello answers Card.labels as Label objects ({id, idBoard, name, color}); the file types them as ids', op: 'replace', path: '/components/schemas/Card/properties/labels/items', value: { $ref: '#/components/schemas/Label' } },
    { id: 'card-cardrole-null', reason: nullEnum, op: 'add', path: '/components/schemas/Card/properties/cardRole/enum/-', value: null },
    { id: 'color-null', reason: nullEnum, op: 'add', path: '/components/schemas/Color/enum/-', value: null },
    { id: 'unauthorized-plain-text', reason: 'Trello answers 401 in plain text ("invalid token", "unauthorized permission requested"; py-trello#367)', op: 'replace', path: '/components/responses/Unauthorized/content', value: { 'text/plain': { schema: { type: 'string' } } } },
    { id: 'not-found-plain-text', reason: 'Trello answers 404 in plain text ("The requested resource was not found.")', op: 'replace', path: '/components/responses/NotFound/content', value: { 'text/plain': { schema: { type: 'string' } } } },
  ];
}

let patches: Patch[] | undefined;
/** The recorded overlay, derived from the file as it is (empty when the file is missing: loadSpec then says so). */
export function trelloPatches(): Patch[] {
  if (!specsAvailable(TRELLO_FILE)) return [];
  patches ??= patchesFrom(JSON.parse(readFileSync(resolve(specsDir(), TRELLO_FILE), 'utf8')) as Json);
  return patches;
}

export const trelloSpecFile = () => loadSpec(TRELLO_FILE, { patches: trelloPatches() });
export const trelloRawSpecFile = () => loadSpec(TRELLO_FILE);

export async function trelloFetch(base?: typeof fetch) {
  return validatingFetch('trello', [trelloSpecFile()], base ? { base } : {});
}
