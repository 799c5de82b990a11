export { startJiraEmulator, COLLEAGUE, SITE_ME, type JiraEmulator, type JiraEmulatorOptions, type RequestLogEntry } from './server';
