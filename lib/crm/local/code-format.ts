// 客户编号 formats such as KH{YYYY}-{seq:4} → KH2026-0001.
// The sequence is counted per "prefix": the format rendered without its {seq} token, so a
// format with {YYYY} restarts every year and one without a date never restarts.

const TOKEN = /\{(YYYY|YY|MM|DD|seq(?::(\d))?)\}/g;

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
export function codePrefix(format: string, at: Date): string {
  const parts = dateParts(at);
  return format.replace(TOKEN, (_m, name: string) => (name.startsWith('seq') ? '{seq}' : parts[name as keyof typeof parts]));
}

export function formatCustomerCode(format: string, at: Date, seq: number): string {
  const parts = dateParts(at);
  return format.replace(TOKEN, (_m, name: string, width?: string) =>
    name.startsWith('seq') ? pad(seq, width ? Number(width) : 1) : parts[name as keyof typeof parts],
  );
}

export function isValidCodeFormat(format: string): boolean {
  return /\{seq(:\d)?\}/.test(format) && format.length <= 40;
}
