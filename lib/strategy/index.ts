// Multi-CRM strategies (seed 004): parallel, primary-backup with sync-back, category routing.
export { strategySchema, getStrategy, saveStrategy, loadFailover, failoverActive, DEFAULT_STRATEGY, STRATEGY_KEY, FAILOVER_KEY } from './schema';
export type { Strategy, StrategyInput, FailoverState } from './schema';
export { decideTargets } from './decide';
export type { DecideInput } from './decide';
export { runStrategyTasks, failedByOutage } from './failover';
export type { StrategyTaskDeps, StrategyTaskResult } from './failover';
export { noteConversation, categoryOf, forgetConversations } from './category';
export { createStrategyRunner } from './runner';
export type { StrategyRunnerDeps } from './runner';
