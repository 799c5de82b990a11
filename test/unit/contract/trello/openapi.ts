// Trello's own OpenAPI file (../shared/specs/trello.json = developer.atlassian.com/cloud/trello/
// swagger.v3.json, third-party copy kevinhillinger/trello-mcp-server @ 54da12ec2a05, 2026-01-30;
// read at test time, never copied here) as the contract for every request the adapter sends and
// every reply the emulator gives, through the shared validator (test/specs/openapi.ts).
//
// Overlay: six recorded defects, each checked in spec.test.ts (the file as it is refuses what
// Trello sends or answers; the patched one takes it; nothing else changes):
// - due on POST /cards is `format: date` (SOURCES.md lists it on PUT /cards/{id}: POST has it too),
//   while Trello's due is a moment: its cards reply "due":"2026-12-10T04:00:00.000Z" and the
//   reference describes due as a date-time; Liaison sends the ISO date-time;
// - the Card schema's due and badges.due are `format: date` for the same ISO date-time values;
// - Card.labels is typed as a list of ids, while Trello answers label objects
//   ({id, idBoard, name, color}: the Label schema of the same file; Card.idLabels holds the ids);
// - Card.cardRole and Color are nullable enums whose enum lacks null (OpenAPI 3.0.3 asks for it),
//   while Trello answers null for an ordinary card's role and a colourless cover or label;
// - idLabels and idMembers on POST /cards are arrays with OpenAPI's default form/explode style
//   (repeated parameters), while Trello's reference says "comma-separated list" of ids, which is
//   what Liaison sends: `explode: false` states that.
// SOURCES.md's second defect (POST /cards with a `$ref` idList schema that Prism did not check
// when missing) does not apply to this validator: spec.test.ts shows it refuses a POST /cards
// without idList.
import { loadSpec, validatingFetch, type Patch } from '../../../specs/openapi';

export const TRELLO_FILE = 'trello.json';
const dateTime = 'Trello’s due is a moment (its replies carry e.g. 2026-12-10T04:00:00.000Z); the file says format date (SOURCES.md defect, on POST as well as PUT)';
export const TRELLO_PATCHES: Patch[] = [
  { id: 'post-cards-due-date-time', reason: dateTime, op: 'replace', path: '/paths/~1cards/post/parameters/3/schema/format', value: 'date-time' },
  { id: 'card-due-date-time', reason: dateTime, op: 'replace', path: '/components/schemas/Card/properties/due/format', value: 'date-time' },
  { id: 'card-badges-due-date-time', reason: dateTime, op: 'replace', path: '/components/schemas/Card/properties/badges/properties/due/format', value: 'date-time' },
  { id: 'card-labels-objects', reason: 'Trello answers Card.labels as Label objects ({id, idBoard, name, color}); the file types them as ids', op: 'replace', path: '/components/schemas/Card/properties/labels/items', value: { $ref: '#/components/schemas/Label' } },
  { id: 'card-cardrole-null', reason: 'Trello answers "cardRole": null for an ordinary card; the file marks it nullable but its enum lacks null (OpenAPI 3.0.3: a nullable enum must list null)', op: 'add', path: '/components/schemas/Card/properties/cardRole/enum/-', value: null },
  { id: 'color-null', reason: 'Trello answers "color": null for a colourless label or cover; Color is nullable but its enum lacks null (OpenAPI 3.0.3: a nullable enum must list null)', op: 'add', path: '/components/schemas/Color/enum/-', value: null },
  { id: 'post-cards-idlabels-comma', reason: 'Trello’s reference: idLabels is a comma-separated list of label ids (not repeated parameters)', op: 'add', path: '/paths/~1cards/post/parameters/8/explode', value: false },
  { id: 'post-cards-idmembers-comma', reason: 'Trello’s reference: idMembers is a comma-separated list of member ids (not repeated parameters)', op: 'add', path: '/paths/~1cards/post/parameters/7/explode', value: false },
];

export const trelloSpecFile = () => loadSpec(TRELLO_FILE, { patches: TRELLO_PATCHES });
export const trelloRawSpecFile = () => loadSpec(TRELLO_FILE);

export async function trelloFetch(base?: typeof fetch) {
  return validatingFetch('trello', [trelloSpecFile()], base ? { base } : {});
}
