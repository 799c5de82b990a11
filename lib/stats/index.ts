export { weekRange, monthRange, presetRange, dayKey, parseDayKey, type Range, type RangePreset } from './time';
export { computeReport, median, missedFollowUps, type Report, type ReportOptions, type CountRow, type OwnerRow, type FunnelStep, type ProductInquiry, type MissedItem, type Approximation } from './report';
export { appendStageChange, readStageChanges, stageLogSince, STAGE_LOG_PREFIX, STAGE_LOG_SINCE_KEY, type StageChange } from './stage-log';
