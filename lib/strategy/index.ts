// Multi-CRM strategies (seed 004): parallel, primary-backup with sync-back, category routing.
export { strategySchema, ticketRoutesSchema, getStrategy, saveStrategy, loadFailover, failoverActive, DEFAULT_STRATEGY, STRATEGY_KEY, FAILOVER_KEY } from './schema';
export type { Strategy, StrategyInput, FailoverState, TicketRoutes } from './schema';
export { decideTargets, decideTicketTargets } from './decide';
export type { DecideInput, DecideTicketInput } from './decide';
export { runStrategyTasks, failedByOutage } from './failover';
export type { StrategyTaskDeps, StrategyTaskResult } from './failover';
export { noteConversation, categoryOf, forgetConversations } from './category';
export { createStrategyRunner } from './runner';
export type { StrategyRunnerDeps } from './runner';
