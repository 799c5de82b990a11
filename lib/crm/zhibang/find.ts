// findCustomers: custom/list.asp (cmdkey refresh; fuzzy filters) and person/list.asp (contacts,
// whose `company` is the customer ord). The ERP matches fuzzily, so phone, code, email and WeChat
// hits are re-checked exactly here; only name stays fuzzy (it is meant for "link to existing").
import { CrmError } from '../errors';
import type { CustomerQuery, RemoteCustomer } from '../port';
import { normalizePhone } from '../../phone';
import { PATHS, type Datas, type ZhibangClient } from './client';
import { digits, splitPhone } from './fields';
import { readCustomer } from './record';
import { searchFields } from './read';
import { requireColumns, tableRows } from './wire';

const PAGE = 50;

type Row = Record<string, string>;

async function listCustomers(client: ZhibangClient, filters: Datas, signal?: AbortSignal): Promise<Row[]> {
  const doc = await client.v1(PATHS.customList, 'refresh', { ...filters, pagesize: PAGE, pageindex: 1 }, signal ? { signal } : {});
  const rows = tableRows(doc);
  requireColumns(rows, '客户', 'ord');
  return rows.filter((r) => r.ord);
}

async function listPersons(client: ZhibangClient, filters: Datas, signal?: AbortSignal): Promise<Row[]> {
  const doc = await client.v1(PATHS.personList, 'refresh', { ...filters, pagesize: PAGE, pageindex: 1 }, signal ? { signal } : {});
  const rows = tableRows(doc);
  requireColumns(rows, '联系人', 'company');
  return rows.filter((r) => r.company);
}

const e164 = (raw: string) => normalizePhone(raw, 'CN') ?? raw;

function toRemote(client: ZhibangClient, r: Row, now: () => number): RemoteCustomer {
  const phones = [r.mobile, r.phone].filter((p): p is string => !!p).map(e164);
  const fields = searchFields(client, r, now);
  return {
    remoteId: r.ord ?? '',
    ...(r.khid ? { remoteCode: r.khid } : {}),
    name: r.name || r.person_name || '',
    phones: [...new Set(phones)],
    ...(r.email ? { email: r.email } : {}),
    ...(r.faren ? { company: r.faren } : {}),
    matchedBy: [],
    // What the row carries in Liaison terms (code, grade 跟进程度…), for the candidate line beside the chat.
    ...(Object.keys(fields).length ? { fields } : {}),
  };
}

/** Customers for contact rows whose customer the list did not already return. */
async function customersOfPersons(client: ZhibangClient, persons: Row[], known: Set<string>, signal?: AbortSignal): Promise<Row[]> {
  const ords = [...new Set(persons.map((p) => p.company!))].filter((o) => !known.has(o));
  const out: Row[] = [];
  for (const ord of ords) {
    try {
      const rec = await readCustomer(client, ord, signal);
      if (rec.saved) out.push({ ...rec.fields, ord: rec.ord });
    } catch (err) {
      if (!(err instanceof CrmError && err.kind === 'not-found')) throw err;
    }
  }
  return out;
}

export async function findByPhone(client: ZhibangClient, phone: string, signal?: AbortSignal): Promise<Row[]> {
  const { mobile, phone: landline } = splitPhone(normalizePhone(phone, 'CN') ?? phone);
  const want = digits(mobile ?? landline ?? phone);
  if (want.length < 5) return [];
  const same = (v: string | undefined) => !!v && digits(v) === want;
  const rows = (await listCustomers(client, { phone: want }, signal)).filter((r) => same(r.mobile) || same(r.phone));
  const persons = (await listPersons(client, { mobile: want }, signal)).filter((p) => same(p.mobile));
  return [...rows, ...(await customersOfPersons(client, persons, new Set(rows.map((r) => r.ord!)), signal))];
}

export async function findByCode(client: ZhibangClient, code: string, signal?: AbortSignal): Promise<Row[]> {
  const want = code.trim();
  if (!want) return [];
  return (await listCustomers(client, { khid: want }, signal)).filter((r) => r.khid === want);
}

export async function findByWechat(client: ZhibangClient, wechatId: string, signal?: AbortSignal): Promise<Row[]> {
  const want = wechatId.trim();
  if (!want) return [];
  return (await listCustomers(client, { searchKey: want }, signal)).filter((r) => r.weixinAcc === want);
}

async function findByEmail(client: ZhibangClient, email: string, signal?: AbortSignal): Promise<Row[]> {
  const want = email.trim().toLowerCase();
  if (!want) return [];
  const rows = (await listCustomers(client, { searchKey: want }, signal)).filter((r) => r.email?.toLowerCase() === want);
  const persons = (await listPersons(client, { email: want }, signal)).filter((p) => p.email?.toLowerCase() === want);
  return [...rows, ...(await customersOfPersons(client, persons, new Set(rows.map((r) => r.ord!)), signal))];
}

export async function findByName(client: ZhibangClient, name: string, signal?: AbortSignal): Promise<Row[]> {
  const want = name.trim();
  return want ? listCustomers(client, { name: want }, signal) : [];
}

export async function findCustomers(client: ZhibangClient, query: CustomerQuery, signal?: AbortSignal, now: () => number = Date.now): Promise<RemoteCustomer[]> {
  const found = new Map<string, RemoteCustomer>();
  const add = (rows: Row[], why: string) => {
    for (const r of rows) {
      const hit = found.get(r.ord!) ?? toRemote(client, r, now);
      if (!hit.matchedBy.includes(why)) hit.matchedBy.push(why);
      found.set(r.ord!, hit);
    }
  };
  if (query.phone) add(await findByPhone(client, query.phone, signal), 'phone');
  if (query.email) add(await findByEmail(client, query.email, signal), 'email');
  if (query.code) add(await findByCode(client, query.code, signal), 'code');
  if (query.name) add(await findByName(client, query.name, signal), 'name');
  return [...found.values()];
}
