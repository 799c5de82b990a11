// Ticket pipelines: GET /crm/v3/pipelines/tickets/{pipelineId} (pipelines guide,
// developers.hubspot.com/docs/guides/api/crm/pipelines, read 2026-12-06). Each stage carries
// metadata.ticketState OPEN or CLOSED, which is what makes a stage "closed" for tickets. No
// OpenAPI file for pipelines is in shared/specs, so these requests show as "uncovered" in the
// contract tests' log: the reply is checked here with zod instead. Cached 10 minutes per
// connection and pipeline: stages change rarely, and a ticket's status read is frequent.
import { z } from 'zod';
import { CrmError } from '../errors';
import { call, type HubspotContext } from './client';

const stageSchema = z
  .object({
    id: z.string().min(1),
    label: z.string(),
    displayOrder: z.number(),
    archived: z.boolean().optional(),
    metadata: z.record(z.string(), z.unknown()).optional().default({}),
  })
  .passthrough();
const pipelineSchema = z.object({ id: z.string().min(1), label: z.string(), stages: z.array(stageSchema) }).passthrough();

export interface TicketStage {
  id: string;
  label: string;
  displayOrder: number;
  /** metadata.ticketState; absent when the portal does not say. */
  state?: 'OPEN' | 'CLOSED';
}
export interface TicketPipeline {
  id: string;
  label: string;
  /** Live stages, by displayOrder. */
  stages: TicketStage[];
}

const TTL_MS = 10 * 60_000;
const cache = new Map<string, { at: number; pipeline: TicketPipeline }>();

/** Tests only. */
export function resetPipelineCache(): void {
  cache.clear();
}

export async function ticketPipeline(ctx: HubspotContext, pipelineId: string, signal?: AbortSignal, fresh = false): Promise<TicketPipeline> {
  const key = `${ctx.config.connectionId}|${pipelineId}`;
  const hit = cache.get(key);
  if (hit && !fresh && ctx.now() - hit.at < TTL_MS) return hit.pipeline;
  let raw;
  try {
    raw = await call(ctx, 'get', `crm/v3/pipelines/tickets/${encodeURIComponent(pipelineId)}`, { signal, schema: pipelineSchema });
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') {
      throw new CrmError('validation', `HubSpot: there is no ticket pipeline ${pipelineId}`, {
        userMessage: { zh_CN: `HubSpot 中没有编号为 ${pipelineId} 的工单管道，请在连接设置中改正`, en: `HubSpot has no ticket pipeline ${pipelineId}; correct it in the connection settings` },
      });
    }
    throw e;
  }
  const stages = raw.stages
    .filter((s) => !s.archived)
    .map((s): TicketStage => {
      const st = s.metadata.ticketState;
      return { id: s.id, label: s.label, displayOrder: s.displayOrder, ...(st === 'OPEN' || st === 'CLOSED' ? { state: st } : {}) };
    })
    .sort((a, b) => a.displayOrder - b.displayOrder);
  const pipeline = { id: raw.id, label: raw.label, stages };
  cache.set(key, { at: ctx.now(), pipeline });
  return pipeline;
}
