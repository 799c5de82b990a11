export * from './enums';
export * from './records';
export * from './settings';
export * from './conversation';
export * from './views';
