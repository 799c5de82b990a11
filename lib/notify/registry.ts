// The group-robot kinds Liaison can post to, as an explicit list (checked by
// test/unit/notify/registry.test.ts: every kind has an emulator route, docs with dates, help in
// both languages and rate rules).
import { dingtalkRobot } from './dingtalk';
import { feishuRobot } from './feishu';
import type { RobotKind, RobotKindId } from './kind';
import { slackRobot } from './slack';
import { wecomRobot } from './wecom';

export const ROBOT_KINDS: readonly RobotKind[] = [feishuRobot, dingtalkRobot, wecomRobot, slackRobot];

export function robotKind(id: RobotKindId): RobotKind {
  const k = ROBOT_KINDS.find((x) => x.id === id);
  if (!k) throw new Error(`unknown robot kind: ${id}`);
  return k;
}

/** Every host a configured robot may need (for the manifest's optional_host_permissions). */
export const ROBOT_HOST_PERMISSIONS: readonly string[] = [...new Set(ROBOT_KINDS.flatMap((k) => k.hostPermissions))];
