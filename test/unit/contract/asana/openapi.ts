// Asana's own OpenAPI file (../shared/specs/asana.yaml = Asana/openapi @ fc9f8dcf224e
// defs/asana_oas.yaml, 2026-06-11; read at test time, never copied here) as the contract for
// every request the adapter sends and every reply the emulator gives, through the shared
// validator (test/specs/openapi.ts). The file is 3.1 MB: loadSpec caches it per worker, and each
// test file loads it once in beforeAll (helpers.ts).
//
// Overlay: ASANA_PATCHES, each with its reason (checked in spec.test.ts). One defect, seven
// places: the file writes "may be null" as `allOf: [{$ref: X}, {nullable: true}]`. `nullable`
// without `type` is not valid OpenAPI 3.0 (nullable only modifies a `type` in the same object),
// ajv refuses to compile it ('"nullable" cannot be used without "type"'), and even read loosely
// the allOf would still demand X's object for a null. Asana's replies do carry null there (an
// unassigned task's `assignee` is null: "Get a task" reference example). Each is rewritten as
// anyOf [X, null], the intent, on the schemas the adapter's operations reach. A second defect:
// custom_fields values typed string only, against the file's own description (the patch's reason).
// What the file cannot
// check — `data` is not required and no schema closes its properties (SOURCES.md: an unwrapped
// {"name":"x"} passes) — the emulator checks (routes.ts: data envelope, unknown fields refused).
import { loadSpec, validatingFetch, type Patch } from '../../../specs/openapi';

export const ASANA_FILE = 'asana.yaml';
const nullableRef = (schema: string, prop: string, ref: string, allOf = 1): Patch => ({
  id: `${schema}.${prop}-nullable`,
  reason: `asana.yaml ${schema}.${prop}: allOf [$ref ${ref}, {nullable: true}] — nullable without type (invalid OpenAPI 3.0, ajv will not compile it); the field is null when unset, so anyOf [${ref}, null]`,
  op: 'replace',
  path: `/components/schemas/${schema}/allOf/${allOf}/properties/${prop}`,
  value: { anyOf: [{ $ref: `#/components/schemas/${ref}` }, { type: 'null' }] },
});

export const ASANA_PATCHES: Patch[] = [
  nullableRef('TaskResponse', 'assignee', 'UserCompact'),
  nullableRef('TaskResponse', 'custom_type', 'CustomTypeCompact'),
  nullableRef('TaskResponse', 'custom_type_status_option', 'CustomTypeStatusOptionCompact'),
  nullableRef('TaskBase', 'assigned_by', 'UserCompact'),
  nullableRef('TaskBase', 'completed_by', 'UserCompact'),
  nullableRef('ProjectResponse', 'completed_by', 'UserCompact'),
  nullableRef('CustomFieldResponse', 'created_by', 'UserCompact'),
  {
    id: 'TaskRequestBase.custom_fields-values',
    reason:
      'asana.yaml TaskRequestBase.custom_fields: additionalProperties {type: string}, while its own description says each value is "either an enum GID, string, number, object, or array (depending on the custom field type)" (developers.asana.com "Custom fields": number fields take numbers, multi_enum an array of option gids); the values the description names are allowed, nothing else',
    op: 'replace',
    path: '/components/schemas/TaskRequestBase/allOf/1/properties/custom_fields/additionalProperties',
    value: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }, { type: 'null' }] },
  },
];

export const asanaSpecFile = () => loadSpec(ASANA_FILE, { patches: ASANA_PATCHES });

export async function asanaFetch(base?: typeof fetch) {
  return validatingFetch('asana', [asanaSpecFile()], base ? { base } : {});
}
