// Size limits of a backup file, checked before anything heavier than JSON.parse runs, so a
// huge or padded file is refused in well under a second and never reaches the database.
// The figures leave room for a large real account (100,000 customers, each table alike) and
// stay below Chrome's 64 MiB cap on one extension message (the file travels in one).
import { ValidationError } from './errors';

export const BACKUP_LIMITS = {
  /** The whole file. Checked in bytes by the options page and in UTF-16 units here (never more). */
  fileBytes: 40 * 1024 * 1024,
  rowsPerTable: 100_000,
  /** One string anywhere in a row (a customer's notes are capped at 10,000 characters). */
  valueChars: 100_000,
  /** All strings of one row together (the understanding settings are the largest legit row). */
  rowChars: 1_000_000,
} as const;

const MB = 1024 * 1024;
const mb = (n: number) => (n / MB).toFixed(1).replace(/\.0$/, '');

export function fileTooLargeMessage(size: number): string {
  return `导入文件太大（${mb(size)} MB），上限为 ${mb(BACKUP_LIMITS.fileBytes)} MB，未导入任何数据 / the file is too large (${mb(size)} MB, the limit is ${mb(BACKUP_LIMITS.fileBytes)} MB); nothing was imported`;
}

export function checkFileSize(size: number): void {
  if (size > BACKUP_LIMITS.fileBytes) throw new ValidationError(fileTooLargeMessage(size));
}

/** Row counts, before any row is validated: 700,000 rows are refused without looking at one. */
export function checkRowCounts(tables: unknown): void {
  if (!tables || typeof tables !== 'object') return; // the schema reports the shape
  for (const [name, rows] of Object.entries(tables)) {
    if (Array.isArray(rows) && rows.length > BACKUP_LIMITS.rowsPerTable) {
      throw new ValidationError(
        `表 ${name} 有 ${rows.length} 行，超过上限 ${BACKUP_LIMITS.rowsPerTable} 行，未导入任何数据 / table ${name} has ${rows.length} rows, more than the limit of ${BACKUP_LIMITS.rowsPerTable}; nothing was imported`,
      );
    }
  }
}

const MAX_DEPTH = 32;

/** Every string of every row: none longer than valueChars, none of the rows longer than rowChars together. */
export function checkValueSizes(tables: unknown): void {
  if (!tables || typeof tables !== 'object') return;
  for (const [name, rows] of Object.entries(tables)) {
    if (!Array.isArray(rows)) continue;
    rows.forEach((row, i) => {
      let total = 0;
      const walk = (v: unknown, path: string, depth: number): void => {
        if (typeof v === 'string') {
          if (v.length > BACKUP_LIMITS.valueChars) {
            throw new ValidationError(
              `${path} 的值有 ${v.length} 个字符，超过上限 ${BACKUP_LIMITS.valueChars}，未导入任何数据 / the value at ${path} has ${v.length} characters, more than the limit of ${BACKUP_LIMITS.valueChars}; nothing was imported`,
            );
          }
          total += v.length;
        } else if (v && typeof v === 'object') {
          if (depth > MAX_DEPTH) throw new ValidationError(`${path} 嵌套过深，未导入任何数据 / the value at ${path} is nested too deeply; nothing was imported`);
          for (const [k, x] of Object.entries(v)) {
            total += k.length;
            walk(x, `${path}.${k}`, depth + 1);
          }
        }
        if (total > BACKUP_LIMITS.rowChars) {
          throw new ValidationError(
            `tables.${name}.${i} 这一行超过 ${BACKUP_LIMITS.rowChars} 个字符，未导入任何数据 / row tables.${name}.${i} is larger than ${BACKUP_LIMITS.rowChars} characters; nothing was imported`,
          );
        }
      };
      walk(row, `tables.${name}.${i}`, 0);
    });
  }
}
