// Declarative CRM field mappings with {{templates}} (seed 004). Pure: no browser APIs.
export { compileMapping, applyMapping, mappingIssues, defaultTemplates, effectiveMapping, MappingError, templateMappingSchema, MAPPING_SECTIONS } from './mapping';
export type { CompiledMapping, CompileOptions, MappingSection, TemplateMapping } from './mapping';
export { compileTemplate, renderTemplate, formatDate, FILTER_NAMES, DEFAULT_TIME_ZONE } from './template';
export type { CompiledTemplate, LookupTables, MappingIssue } from './template';
export { VARIABLES, ALIASES, VARIABLE_NAMES, resolveVariable } from './variables';
export type { MappingContext, VarKind } from './variables';
export { SAMPLE_CONTEXT } from './sample';
