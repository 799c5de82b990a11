// The customer fields a spreadsheet column can fill. Apart from ./mapping.ts (the header guesses,
// tables built when it loads): the message protocol names these, and the service worker's start
// loads the protocol.
export const IMPORT_FIELDS = [
  'name', 'phones', 'wechatId', 'source', 'product', 'amount', 'intentLevel', 'stage', 'tags', 'notes',
  'company', 'email', 'keyword', 'nextFollowUpAt', 'owner', 'code',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** One entry per column: the field it fills, or null to ignore the column. */
export type ColumnMapping = (ImportField | null)[];
