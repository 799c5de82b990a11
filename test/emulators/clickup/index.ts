export { startClickUpEmulator, COLLEAGUE, ME, OUTSIDER, TEAM, LIST, LIST_NO_TAGS, LIST_OTHER_TEAM, type ClickUpEmulator, type ClickUpEmulatorOptions, type RequestLogEntry } from './server';
