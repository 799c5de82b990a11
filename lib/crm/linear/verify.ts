// "Test connection": `viewer` names the user the API key belongs to and `organization` the
// workspace; with a team chosen, the team is read too, so a team the key cannot reach is named
// now rather than at the first ticket.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { VerifyResult } from '../port';
import { gql, type LinearContext } from './client';
import { teamUnreachable } from './issues';

const ME = 'query Verify { viewer { id name displayName email } organization { name urlKey } }';
const meReply = z.object({ viewer: z.object({ id: z.string(), name: z.string(), displayName: z.string(), email: z.string() }), organization: z.object({ name: z.string(), urlKey: z.string() }) });
const TEAM = 'query VerifyTeam($id: String!) { team(id: $id) { id name key } }';
const teamReply = z.object({ team: z.object({ id: z.string(), name: z.string(), key: z.string() }) });

export async function verify(ctx: LinearContext, signal?: AbortSignal): Promise<VerifyResult> {
  const m = await gql(ctx, ME, { schema: meReply, signal });
  let team = '';
  const teamId = ctx.config.settings.teamId;
  if (teamId) {
    try {
      const t = await gql(ctx, TEAM, { variables: { id: teamId }, schema: teamReply, signal });
      team = ` · ${t.team.name} (${t.team.key})`;
    } catch (e) {
      throw e instanceof CrmError && e.kind === 'not-found' ? teamUnreachable(teamId, e) : e;
    }
  }
  return { account: `${m.viewer.displayName || m.viewer.name} <${m.viewer.email}> · ${m.organization.name} (linear.app/${m.organization.urlKey})${team}` };
}
