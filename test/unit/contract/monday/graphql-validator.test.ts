// The GraphQL contract check (test/specs/graphql.ts) against monday.com's own schema
// (shared/specs/monday.graphql, version 2026-10): it accepts the documents the Monday adapter
// sends (lib/crm/monday) and refuses what monday would refuse; the contract tests beside this
// file validate every document the adapter sends the same way.
import { expect, it } from 'vitest';
import { checkDocument, loadGraphqlSchema } from '../../../specs/graphql';

const schema = () => loadGraphqlSchema('monday.graphql');

it('accepts create_item with a JSON column_values string and items_page_by_column_values', () => {
  const create = 'mutation CreateItem($board: ID!, $name: String!, $values: JSON) { create_item(board_id: $board, item_name: $name, column_values: $values, create_labels_if_missing: true) { id updated_at } }';
  expect(checkDocument(schema(), create, { board: '1234567890', name: '王小明', values: JSON.stringify({ phone: { phone: '+8613800138000', countryShortName: 'CN' } }) })).toEqual([]);
  const find = 'query Find($board: ID!, $cols: [ItemsPageByColumnValuesQuery!]) { items_page_by_column_values(board_id: $board, columns: $cols, limit: 50) { cursor items { id name updated_at column_values { id text value } } } }';
  expect(checkDocument(schema(), find, { board: '1', cols: [{ column_id: 'phone', column_values: ['+8613800138000'] }] })).toEqual([]);
});

it('refuses a missing item_name, a misspelled argument and a variable of the wrong type', () => {
  expect(checkDocument(schema(), 'mutation M { create_item(board_id: 1) { id } }').join()).toMatch(/item_name/);
  expect(checkDocument(schema(), 'mutation M { create_update(item_idd: 1, body: "x") { id } }').join()).toMatch(/item_idd/);
  expect(checkDocument(schema(), 'query Q($l: Int!) { next_items_page(cursor: "c", limit: $l) { cursor } }', { l: 'ten' }).join()).toMatch(/variables/);
});

it('a missing schema file fails loudly, naming it', () => {
  expect(() => loadGraphqlSchema('monday-missing.graphql')).toThrow(/Vendor API description missing: .*monday-missing\.graphql/);
});
