// "Test connection" and the mapping editor's field list.
// verify: WhoAmI (the user, business unit and organization ids of the token), then the user's
// name (systemusers) and the organization's (organizations): "张伟 @ Contoso (contoso.crm5.dynamics.com)".
// listFields: EntityDefinitions(LogicalName='<table>')/Attributes (query-metadata-web-api), the
// columns valid for create, minus the ones Liaison writes itself.
import { z } from 'zod';
import type { CrmField, CrmFieldList, VerifyResult } from '../port';
import { dvCall, odataString, type DynamicsContext } from './client';
import { ENTITY } from './config';

const whoAmI = z.object({ UserId: z.string(), BusinessUnitId: z.string().optional(), OrganizationId: z.string() });
const named = z.object({ fullname: z.string().nullish(), domainname: z.string().nullish() }).passthrough();
const orgs = z.object({ value: z.array(z.object({ name: z.string().nullish() }).passthrough()) });

export async function verify(ctx: DynamicsContext, signal?: AbortSignal): Promise<VerifyResult> {
  const { body: me } = await dvCall(ctx, 'get', 'WhoAmI', { signal, schema: whoAmI });
  const { body: user } = await dvCall(ctx, 'get', `systemusers(${me.UserId})`, { searchParams: { $select: 'fullname,domainname' }, signal, schema: named });
  const { body: org } = await dvCall(ctx, 'get', 'organizations', { searchParams: { $select: 'name' }, signal, schema: orgs });
  const host = new URL(ctx.config.orgOrigin).host;
  const who = user.fullname ?? user.domainname ?? me.UserId;
  const orgName = org.value[0]?.name;
  return { account: `${who} @ ${orgName ? `${orgName} (${host})` : host}` };
}

const attributes = z.object({
  value: z.array(
    z.object({
      LogicalName: z.string(),
      AttributeType: z.string().nullish(),
      IsValidForCreate: z.boolean().nullish(),
      DisplayName: z.object({ UserLocalizedLabel: z.object({ Label: z.string() }).nullish() }).passthrough().nullish(),
    }).passthrough(),
  ),
});

/** Types a template value (text or number) can become; lookups, owners and state need ids or actions. */
const WRITABLE = new Set(['String', 'Memo', 'Integer', 'BigInt', 'Decimal', 'Double', 'Money', 'DateTime', 'Boolean', 'Picklist']);

async function columns(ctx: DynamicsContext, table: string, reserved: readonly string[], signal?: AbortSignal): Promise<CrmField[]> {
  const { body } = await dvCall(ctx, 'get', `EntityDefinitions(LogicalName=${odataString(table)})/Attributes`, {
    searchParams: { $select: 'LogicalName,AttributeType,DisplayName,IsValidForCreate' },
    signal,
    schema: attributes,
  });
  return body.value
    .filter((a) => a.IsValidForCreate === true && WRITABLE.has(a.AttributeType ?? '') && !reserved.includes(a.LogicalName))
    .map((a) => ({ name: a.LogicalName, ...(a.DisplayName?.UserLocalizedLabel?.Label ? { label: a.DisplayName.UserLocalizedLabel.Label } : {}), ...(a.AttributeType ? { type: a.AttributeType } : {}) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function listFields(ctx: DynamicsContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const entity = ctx.config.customerEntity;
  return {
    customer: await columns(ctx, entity, [ENTITY[entity].key], signal),
    followUp: await columns(ctx, 'annotation', ['annotationid', 'notetext'], signal),
    deal: await columns(ctx, 'opportunity', ['opportunityid', 'description'], signal),
  };
}
