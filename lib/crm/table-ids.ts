// Which tables a table CRM (Feishu Bitable, NocoDB) writes: the ids in the connection settings,
// else the recommended tables found by their name in the base. One listing per adapter instance,
// shared by concurrent callers; a failed listing is asked again next time.
import { CrmError } from './errors';

export type TableKey = 'customers' | 'followUps' | 'deals';
export type TableIds = Partial<Record<TableKey, string>>;

const SETTING: Record<TableKey, 'customers_table' | 'followups_table' | 'deals_table'> = {
  customers: 'customers_table',
  followUps: 'followups_table',
  deals: 'deals_table',
};

export interface TableIdSource {
  vendor: string;
  /** The connection settings (customers_table…). */
  config: Partial<Record<(typeof SETTING)[TableKey], string | undefined>>;
  /** The memo the adapter instance keeps (set by prepare() after it creates the tables). */
  holder: { tableIds?: Promise<TableIds> };
  /** The base's tables as name → id. */
  list(): Promise<{ name: string; id: string }[]>;
  /** The recommended table's name for a key (客户信息表…). */
  nameOf(key: TableKey): string;
}

export async function resolveTableId(src: TableIdSource, key: TableKey): Promise<string> {
  const configured = src.config[SETTING[key]];
  if (configured) return configured;
  src.holder.tableIds ??= src.list().then((tables) => {
    const found: TableIds = {};
    for (const k of Object.keys(SETTING) as TableKey[]) {
      const t = tables.find((x) => x.name === src.nameOf(k));
      if (t) found[k] = t.id;
    }
    return found;
  });
  let found: TableIds;
  try {
    found = await src.holder.tableIds;
  } catch (e) {
    src.holder.tableIds = undefined; // a failed lookup is retried next time
    throw e;
  }
  const id = found[key];
  if (!id) {
    const name = src.nameOf(key);
    throw new CrmError('validation', `${src.vendor}: no ${name} table configured or found in the base`, {
      userMessage: {
        zh_CN: `没有找到「${name}」表：请在连接设置中填写表 ID，或点击「创建推荐表格」`,
        en: `No ${name} table: enter its table id in the connection settings, or create the recommended tables`,
      },
    });
  }
  return id;
}
