// 意向等级 (intentLevel 高/中/低) ↔ 价值评估 (jz, enum 14: 很高/较高/一般/较低/很低 on the help page's
// sample installation). Seed 003 syncs 价值评估 back to the chat hub (场景2) and writes it from the
// hub's score (客户标签同步 → jz), so it is the ERP field closest to Liaison's intent level. The two
// scales differ: reading folds five levels into three (很高/较高 → 高, 一般 → 中, 较低/很低 → 低),
// writing picks the first of the level's names the installation lists (高 → 较高, else 很高…), so
// a value read and written back reads the same. A name outside these is not guessed (unreadable).
// Also: the enum mapping of 客户来源 (ly) and this one as one step for create/update.
import type { Customer } from '../../model';
import type { CustomerPatch } from '../port';
import type { ZhibangClient } from './client';
import { ENUM_IDS, enumWarning, loadEnum, softEnumFailure, sourceId } from './enums';

type Level = NonNullable<Customer['intentLevel']>;

const WRITE_NAMES: Record<Level, string[]> = { 高: ['较高', '很高', '高'], 中: ['一般', '中'], 低: ['较低', '很低', '低'] };
const READ_LEVELS: Record<string, Level> = { 很高: '高', 较高: '高', 高: '高', 一般: '中', 中: '中', 较低: '低', 很低: '低', 低: '低' };

/** 价值评估 option name → intent level; undefined when it is not one of the known names. */
export function levelOfValueName(name: string): Level | undefined {
  return READ_LEVELS[name.trim()];
}

/** The jz id for an intent level, or a warning (list unreadable, no matching option). */
export async function valueIdFor(client: ZhibangClient, level: Level, now: () => number, signal?: AbortSignal): Promise<{ id?: string; warning?: string }> {
  let options;
  try {
    options = await loadEnum(client, ENUM_IDS.value, now, signal);
  } catch (err) {
    if (softEnumFailure(err)) return { warning: enumWarning(ENUM_IDS.value, 'lookup') };
    throw err;
  }
  for (const name of WRITE_NAMES[level]) {
    const hit = options.find((o) => o.name === name);
    if (hit) return { id: hit.id };
  }
  return { warning: enumWarning(ENUM_IDS.value, 'missing', level) };
}

/**
 * The enum-valued fields of a create (`mode` 'create': source always, falling back to the
 * connection's default) or an update (only the keys the patch has), with warnings for values
 * left out. Mapped through the connection's mapping (source → ly, intentLevel → jz by default).
 */
export async function enumFields(client: ZhibangClient, c: CustomerPatch, mode: 'create' | 'update', now: () => number, signal?: AbortSignal): Promise<{ fields: Record<string, string>; warnings: string[] }> {
  const m = client.config.customerMapping;
  const fields: Record<string, string> = {};
  const warnings: string[] = [];
  if (m.source && (mode === 'create' || c.source !== undefined)) {
    const r = await sourceId(client, c.source, now, signal);
    if (r.id) fields[m.source] = r.id;
    if (r.warning) warnings.push(r.warning);
  }
  if (m.intentLevel && c.intentLevel !== undefined) {
    const r = await valueIdFor(client, c.intentLevel, now, signal);
    if (r.id) fields[m.intentLevel] = r.id;
    if (r.warning) warnings.push(r.warning);
  }
  return { fields, warnings };
}

