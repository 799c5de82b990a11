// Team notifications through group robots (issue 17 item 4): Feishu/Lark, DingTalk, WeCom, Slack.
export { ROBOT_KINDS, robotKind, ROBOT_HOST_PERMISSIONS } from './registry';
export { ROBOT_KIND_IDS, MESSAGE_FORMATS } from './kind';
export type { RobotKind, RobotKindId, MessageFormat, DocRef } from './kind';
export { robotSchema, robotSecretsSchema, robotsSettingsSchema, robotSecretsByIdSchema, secretProblem } from './settings';
export type { Robot, RobotInput, RobotSecrets, RobotsSettings } from './settings';
export { notify } from './notify';
export type { NotifyDeps, NotifyMessage, NotifyResult } from './notify';
export { DEFAULT_TEMPLATES, NOTIFY_EVENTS, EVENT_LABELS, testMessage } from './templates';
export type { NotifyEvent, NotifyTemplate } from './templates';
export { createRobotLimiter, robotLimiterFor, resetRobotLimiters } from './rate-limit';
export type { RateRule, RobotLimiter } from './rate-limit';
export { feishuSign, dingtalkSign } from './sign';
export { robotMessages } from './messages';
export { robotHandlers, notifyGroup } from './handlers';
export type { RobotDeps } from './handlers';
export { NOTIFY_ROBOTS_KEY, robotSecretId, listRobots, robotViews, robotWithSecrets, saveRobot, setRobotEnabled, removeRobot } from './store';
export type { RobotView } from './store';
