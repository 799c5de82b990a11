// WriteOptions.fields → Notion property values, typed by the data source schema (values.ts
// templateValue). Liaison's own properties (the Liaison key, the customer relation) are refused.
import { hasFields, refuseReserved, type TemplateFields } from '../template-values';
import type { DataSource } from './objects';
import { CUSTOMER_RELATION_PROPERTY, LIAISON_KEY_PROPERTY } from './spec';
import { templateValue } from './values';

export function reservedProperty(name: string): string | undefined {
  if (name === LIAISON_KEY_PROPERTY) return 'the key that makes retries safe';
  if (name === CUSTOMER_RELATION_PROPERTY) return 'the link to the customer page';
  return undefined;
}

export function templateProperties(ds: DataSource, fields: TemplateFields | undefined): Record<string, unknown> {
  refuseReserved('Notion', fields, reservedProperty);
  if (!hasFields(fields)) return {};
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(fields)) out[name] = templateValue(ds.properties[name], name, v);
  return out;
}
