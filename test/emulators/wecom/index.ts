export { startWecomEmulator, CORP, MEMBERS, type WecomEmulator, type WecomEmulatorOptions, type ContactRow, type FollowRow, type ScheduleRow, type MessageRow, type RequestLogEntry } from './server';
