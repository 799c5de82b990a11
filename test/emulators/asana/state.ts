// The emulated Asana domain: users, workspaces (one paid, one free), projects with sections and
// custom field settings, tasks with their memberships and stories. Ids are digit strings like
// Asana's gids. Seeded in Chinese, as a Liaison user's organisation would be.
export interface User { gid: string; name: string; email: string; workspaces: string[] }
export interface Workspace { gid: string; name: string; premium: boolean; isOrganization: boolean }
export interface EnumOption { gid: string; name: string; enabled: boolean; color: string }
export interface CustomField {
  gid: string; name: string; subtype: 'text' | 'number' | 'enum' | 'multi_enum' | 'date' | 'people';
  enumOptions?: EnumOption[]; formula?: boolean; precision?: number;
}
export interface Section { gid: string; name: string }
export interface Project {
  gid: string; name: string; workspace: string; archived: boolean; sections: Section[];
  customFields: string[]; members: string[]; editors: string[];
}
export interface Story { gid: string; createdAt: number; createdBy: string | null; subtype: string; text: string }
export interface Task {
  gid: string; workspace: string; name: string; notes: string; completed: boolean; completedAt: number | null;
  createdAt: number; modifiedAt: number; assignee: string | null; dueOn: string | null;
  memberships: { project: string; section: string }[]; custom: Record<string, unknown>; stories: Story[]; deleted: boolean;
}
export interface State {
  seq: number; me: string; users: User[]; workspaces: Workspace[]; projects: Project[];
  customFields: Map<string, CustomField>; tasks: Map<string, Task>;
}

export const ME = '1201000000000001';
export const COLLEAGUE = '1201000000000002';
export const WS_PAID = '1202000000000001';
export const WS_FREE = '1202000000000002';
export const P_SUPPORT = '1203000000000001';
export const P_DEV = '1203000000000002';
export const P_ARCHIVED = '1203000000000003';
export const P_READONLY = '1203000000000004';
export const P_FREE = '1203000000000005';
export const F_PRIORITY = '1205000000000001';
export const F_CHANNEL = '1205000000000002';
export const F_ORDER = '1205000000000003';
export const F_AMOUNT = '1205000000000004';
export const F_VISIT = '1205000000000005';
export const F_SCORE = '1205000000000006';
export const F_CATEGORY = '1205000000000007';

export function seedState(email: string): State {
  let n = 1206000000000000;
  const option = (name: string, color: string): EnumOption => ({ gid: String(++n), name, enabled: true, color });
  const fields: CustomField[] = [
    { gid: F_PRIORITY, name: 'Priority', subtype: 'enum', enumOptions: [option('Low', 'blue'), option('Medium', 'yellow'), option('High', 'red'), { ...option('Urgent (old)', 'purple'), enabled: false }] },
    { gid: F_CHANNEL, name: '来源渠道', subtype: 'enum', enumOptions: [option('微信', 'green'), option('WhatsApp', 'cool-gray'), option('电话', 'orange')] },
    { gid: F_ORDER, name: '订单号', subtype: 'text' },
    { gid: F_AMOUNT, name: '金额', subtype: 'number', precision: 2 },
    { gid: F_VISIT, name: '上门日期', subtype: 'date' },
    { gid: F_SCORE, name: '评分', subtype: 'number', formula: true },
    { gid: F_CATEGORY, name: '工单分类', subtype: 'enum', enumOptions: [option('售后', 'red'), option('技术支持', 'blue'), option('客户服务', 'green')] },
  ];
  let s = 1207000000000000;
  const sections = (...names: string[]) => names.map((name) => ({ gid: String(++s), name }));
  return {
    seq: 1204000000000000,
    me: ME,
    users: [
      { gid: ME, name: '李娜', email, workspaces: [WS_PAID, WS_FREE] },
      { gid: COLLEAGUE, name: '王强', email: 'wang.qiang@example.com', workspaces: [WS_PAID] },
    ],
    workspaces: [
      { gid: WS_PAID, name: '联络贸易', premium: true, isOrganization: true },
      { gid: WS_FREE, name: '个人工作区', premium: false, isOrganization: false },
    ],
    projects: [
      { gid: P_SUPPORT, name: '售后支持', workspace: WS_PAID, archived: false, sections: sections('待处理', '处理中', '等待客户', '已完成'), customFields: fields.map((f) => f.gid), members: [ME, COLLEAGUE], editors: [ME, COLLEAGUE] },
      { gid: P_DEV, name: '研发', workspace: WS_PAID, archived: false, sections: sections('Untitled section'), customFields: [], members: [ME, COLLEAGUE], editors: [ME, COLLEAGUE] },
      { gid: P_ARCHIVED, name: '2025 旧工单', workspace: WS_PAID, archived: true, sections: sections('Untitled section'), customFields: [], members: [ME], editors: [ME] },
      { gid: P_READONLY, name: '财务（仅评论）', workspace: WS_PAID, archived: false, sections: sections('Untitled section'), customFields: [], members: [ME, COLLEAGUE], editors: [COLLEAGUE] },
      { gid: P_FREE, name: '个人待办', workspace: WS_FREE, archived: false, sections: sections('Untitled section'), customFields: [], members: [ME], editors: [ME] },
    ],
    customFields: new Map(fields.map((f) => [f.gid, f])),
    tasks: new Map(),
  };
}

export const nextGid = (st: State) => String(++st.seq);
