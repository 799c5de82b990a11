// 客户编号 formats such as KH{YYYY}-{seq:4} → KH2026-0001.
// The sequence is counted per "prefix": the format rendered without its {seq} token, so a
// format with {YYYY} restarts every year and one without a date never restarts.
// {device} is this browser's own three-character tag (device-tag.ts): two browsers on one team
// counting the same day's temporary codes (方案B) then never show the same one.

const TOKEN = /\{(YYYY|YY|MM|DD|device|seq(?::(\d))?)\}/g;
/** What {device} shows where no tag is known yet (previews). */
export const SAMPLE_DEVICE_TAG = 'K7Q';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The date parts in the user's local time zone (the code is what the salesperson sees). */
function dateParts(at: Date) {
  return {
    YYYY: String(at.getFullYear()),
    YY: pad(at.getFullYear() % 100, 2),
    MM: pad(at.getMonth() + 1, 2),
    DD: pad(at.getDate(), 2),
  };
}

/** The counter key for a format at a date: the format with dates filled and {seq} left as a marker. */
export function codePrefix(format: string, at: Date, device = SAMPLE_DEVICE_TAG): string {
  const parts = { ...dateParts(at), device };
  return format.replace(TOKEN, (_m, name: string) => (name.startsWith('seq') ? '{seq}' : parts[name as keyof typeof parts]));
}

export function formatCustomerCode(format: string, at: Date, seq: number, device = SAMPLE_DEVICE_TAG): string {
  const parts = { ...dateParts(at), device };
  return format.replace(TOKEN, (_m, name: string, width?: string) =>
    name.startsWith('seq') ? pad(seq, width ? Number(width) : 1) : parts[name as keyof typeof parts],
  );
}

export const usesDeviceTag = (format: string) => format.includes('{device}');

export function isValidCodeFormat(format: string): boolean {
  return /\{seq(:\d)?\}/.test(format) && format.length <= 40;
}
