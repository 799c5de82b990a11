export { startDingtalkEmulator, chinaTime, APP, USERS, type DingtalkEmulator, type DingtalkEmulatorOptions, type CustomerRow, type FollowRow, type TodoRow } from './server';
