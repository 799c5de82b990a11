// Due follow-up reminders and the morning digest (seed 000's 每天早上检查待跟进).
export * from './ports';
export * from './texts';
export * from './schedule';
export * from './store';
export * from './controller';
