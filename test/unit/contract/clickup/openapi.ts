// ClickUp's own OpenAPI file (../shared/specs/clickup.json = developer.clickup.com/openapi/
// clickup-api-v2-reference.json, third-party copy of 2026-07-30; read at test time, never copied
// here) as the contract for every request the adapter sends and every reply the emulator gives,
// through the shared validator (test/specs/openapi.ts).
//
// Overlay: fifteen recorded patches, each a defect of the file against ClickUp's own words or replies
// (spec.test.ts shows each one matters and that the rest of the file is used as it is). The task's
// `priority` carries OpenAPI 3.0's `nullable: true` in this 3.1 file; the shared validator honours
// it, so `priority: null` passes without a patch.
import { loadSpec, validatingFetch, type Patch } from '../../../specs/openapi';

export const CLICKUP_FILE = 'clickup.json';
const COMMENTS_REPLY = '/paths/~1v2~1task~1{task_id}~1comment/get/responses/200/content/application~1json/schema/properties/comments/items/properties';

const CREATE_REPLY = '/paths/~1v2~1list~1{list_id}~1task/post/responses/200/content/application~1json/schema';
const LIST_TASKS_REPLY = '/paths/~1v2~1list~1{list_id}~1task/get/responses/200/content/application~1json/schema/properties/tasks/items';
/** Create Task's and Get Tasks' replies type these arrays' items as strings; Get Task (same file) as the user / tag objects every reply carries. */
const asInGetTask = (where: string, at: string, prop: 'tags' | 'watchers' | 'assignees'): Patch => ({
  id: `${where}-${prop}-objects`,
  reason: `${where === 'create' ? 'Create Task' : 'Get Tasks'} types \`${prop}\` items as strings; Get Task in the same file types the same task’s \`${prop}\` as objects (${prop === 'tags' ? '{name, tag_fg, tag_bg, creator}' : '{id, username, color, initials, email, profilePicture}'}), which is what ClickUp answers for a task wherever it is read. Items pointed at Get Task’s.`,
  op: 'replace',
  path: `${at}/properties/${prop}/items`,
  value: { $ref: `#/paths/~1v2~1task~1%7Btask_id%7D/get/responses/200/content/application~1json/schema/properties/${prop}/items` },
});

export const CLICKUP_PATCHES: Patch[] = [
  {
    id: 'get-tasks-tags-bracket',
    reason:
      'Get Tasks (GET /v2/list/{list_id}/task) declares the tag filter as `tags`, but its own description says "For example: ?tags[]=tag1&tags[]=this%20tag", and Get Filtered Team Tasks in the same file names it `tags[]`: the parameter is renamed to what ClickUp reads.',
    op: 'replace',
    path: '/paths/~1v2~1list~1{list_id}~1task/get/parameters/12/name',
    value: 'tags[]',
  },
  {
    id: 'get-folders-array',
    reason: 'Get Folders types `folders` as one object, while the same operation’s example (and every ClickUp reply) has an array of folders.',
    op: 'replace',
    path: '/paths/~1v2~1space~1{space_id}~1folder/get/responses/200/content/application~1json/schema/properties/folders/type',
    value: 'array',
  },
  {
    id: 'comment-assignee-null',
    reason:
      'Get Task Comments requires `assignee` and `assigned_by` as user objects; its only example is an assigned comment. A comment nobody was assigned has none: the emulator answers null (an assumption, not seen in a ClickUp document), so both are allowed to be null.',
    op: 'replace',
    path: `${COMMENTS_REPLY}/assignee/type`,
    value: ['object', 'null'],
  },
  {
    id: 'comment-assigned-by-null',
    reason: 'As comment-assignee-null, for `assigned_by`.',
    op: 'replace',
    path: `${COMMENTS_REPLY}/assigned_by/type`,
    value: ['object', 'null'],
  },
  ...(['status', 'priority', 'due_date'] as const).map(
    (prop): Patch => ({
      id: `get-list-${prop.replace('_', '-')}-null`,
      reason: `Get List types the List’s \`${prop}\` as ${prop === 'due_date' ? 'a string' : 'an object'}, Get Folderless Lists (same file) the same List’s \`${prop}\` as ${prop === 'due_date' ? 'string|null' : 'string|null'}: a List with no ${prop === 'due_date' ? 'due date' : `colour ${prop}`} of its own answers null. Null allowed.`,
      op: 'replace',
      path: `/paths/~1v2~1list~1{list_id}/get/responses/200/content/application~1json/schema/properties/${prop}/type`,
      value: prop === 'due_date' ? ['string', 'null'] : ['object', 'null'],
    }),
  ),
  ...(['status', 'priority'] as const).map(
    (prop): Patch => ({
      id: `folderless-lists-${prop}-oneof`,
      reason: `Get Folderless Lists types a List’s \`${prop}\` as oneOf [object, string|null, {}]: the empty third branch matches every value, so every value matches two branches and oneOf refuses them all. The empty branch is removed.`,
      op: 'remove',
      path: `/paths/~1v2~1space~1{space_id}~1list/get/responses/200/content/application~1json/schema/properties/lists/items/properties/${prop}/oneOf/2`,
    }),
  ),
  ...(['tags', 'watchers', 'assignees'] as const).flatMap((prop) => [asInGetTask('create', CREATE_REPLY, prop), asInGetTask('list', LIST_TASKS_REPLY, prop)]),
];

export const clickupSpecFile = () => loadSpec(CLICKUP_FILE, { patches: CLICKUP_PATCHES });
export const clickupSpecRaw = () => loadSpec(CLICKUP_FILE);

export async function clickupFetch(base?: typeof fetch) {
  return validatingFetch('clickup', [clickupSpecFile()], base ? { base } : {});
}
