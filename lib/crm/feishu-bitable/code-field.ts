// Customer writes when the settings do not say that 客户ID is an auto number (a Base whose field
// was changed after setup, or set up without "check the tables"): Bitable refuses a value for a
// field it fills itself. On such a refusal the table's fields are listed once; if 客户ID is a
// 自动编号, the adapter learns it (for this instance) and sends the write once more without the
// code. The happy path costs nothing; the refusal wrote nothing, so the second send is safe.
import { CrmError } from '../errors';
import type { FeishuContext } from './client';
import { FIELD_VALUE_CODES } from './codes';
import { tableFields } from './field-list';
import { FT } from './schema';
import { fieldNames, type FieldNames } from './values';

export async function writeCustomer<T>(ctx: FeishuContext, table: string, write: (names: FieldNames) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const names = fieldNames(ctx.config);
  try {
    return await write(names);
  } catch (e) {
    const code = names.customer.code;
    if (!(e instanceof CrmError) || !code || names.computed.has(code) || !FIELD_VALUE_CODES.has(Number(e.vendorCode))) throw e;
    ctx.fieldLists.forget(table);
    let fields;
    try {
      fields = await tableFields(ctx, table, signal);
    } catch {
      throw e;
    }
    if (fields.find((f) => f.field_name === code)?.type !== FT.autoNumber) throw e;
    ctx.config.code_auto = true;
    return write(fieldNames(ctx.config));
  }
}
