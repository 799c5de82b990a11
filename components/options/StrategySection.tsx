// 多 CRM 策略: parallel, primary-backup or routing by message category (lib/strategy/schema.ts).
// Pure: the entrypoint loads the strategy and the connections and saves through `save`.
import { neutraliseBidi } from '../../lib/i18n/bidi';
import { Name } from '../shared/Name';
import { useEffect, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { GroupPosts, Strategy, TicketRoutes } from '../../lib/strategy/schema';
import { CATEGORIES } from '../../lib/understand/rules';
import { LOCAL_CONNECTION_ID, TICKET_CATEGORIES } from '../../lib/model';
import { useAction } from '../sidebar/async';

export interface StrategySectionProps {
  t: T;
  connections: { id: string; name: string }[];
  value: Strategy;
  save(s: Strategy): Promise<void>;
  /** Group robots (options → 群机器人) that can also get new leads and tickets. */
  robots?: { id: string; name: string }[];
}

type Mode = Strategy['mode'];
type Routes = Partial<Record<(typeof CATEGORIES)[number], string[]>>;

export function StrategySection({ t, connections, value, save, robots = [] }: StrategySectionProps) {
  const [mode, setMode] = useState<Mode>(value.mode);
  const [primary, setPrimary] = useState(value.mode === 'primary-backup' ? value.primary : (connections[0]?.id ?? ''));
  const [backup, setBackup] = useState(value.mode === 'primary-backup' ? value.backup : (connections[1]?.id ?? ''));
  const [minutes, setMinutes] = useState(value.mode === 'primary-backup' ? value.failoverAfterMinutes : 10);
  const [syncBack, setSyncBack] = useState(value.mode === 'primary-backup' ? value.syncBack : true);
  const [routes, setRoutes] = useState<Routes>(value.mode === 'routing' ? value.routes : {});
  const [fallback, setFallback] = useState<string[]>(value.mode === 'routing' ? value.default : []);
  const [ticketRoutes, setTicketRoutes] = useState<TicketRoutes>(value.ticketRoutes ?? {});
  const [groupPosts, setGroupPosts] = useState<GroupPosts>(value.groupPosts ?? {});
  const [saved, setSaved] = useState(false);
  const action = useAction((s: Strategy) => save(s));

  // Connections arriving after the first render fill empty primary/backup choices.
  useEffect(() => {
    if (!primary && connections[0]) setPrimary(connections[0].id);
    if (!backup && connections[1]) setBackup(connections[1].id);
  }, [connections.map((c) => c.id).join(',')]);

  const touch = <A,>(f: (a: A) => void) => (a: A) => {
    setSaved(false);
    f(a);
  };

  const build = (): Strategy => {
    const set = Object.fromEntries(Object.entries(ticketRoutes).filter(([, ids]) => ids && ids.length > 0)) as TicketRoutes;
    const posts = Object.fromEntries(Object.entries(groupPosts).filter(([, ids]) => ids && ids.length > 0)) as GroupPosts;
    const tickets = { ...(Object.keys(set).length ? { ticketRoutes: set } : {}), ...(Object.keys(posts).length ? { groupPosts: posts } : {}) };
    if (mode === 'primary-backup') return { mode, primary, backup, failoverAfterMinutes: minutes, syncBack, ...tickets };
    if (mode === 'routing') return { mode, routes, default: fallback, ...tickets };
    return { mode: 'parallel', ...tickets };
  };
  // Tickets may also stay in the local CRM.
  const ticketTargets = connections.some((c) => c.id === LOCAL_CONNECTION_ID) ? connections : [{ id: LOCAL_CONNECTION_ID, name: t('strategy.localCrm') }, ...connections];
  const pbInvalid = mode === 'primary-backup' && (!primary || !backup || primary === backup);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pbInvalid) return;
    if (await action.run(build())) setSaved(true);
  };

  const picker = (selected: string[], onChange: (ids: string[]) => void, key: string, among = connections) => (
    <span class="lzo-strategy-conns" data-testid={`strategy-route-${key}`}>
      {among.map((c) => (
        <label key={c.id}>
          <input
            type="checkbox"
            value={c.id}
            checked={selected.includes(c.id)}
            onChange={(e) => {
              const on = (e.currentTarget as HTMLInputElement).checked;
              onChange(on ? [...selected, c.id] : selected.filter((x) => x !== c.id));
            }}
          />
          <Name value={c.name} />
        </label>
      ))}
    </span>
  );

  const select = (id: string, v: string, set: (v: string) => void, label: string) => (
    <label>
      {label}
      <select data-testid={id} value={v} onChange={(e) => set((e.currentTarget as HTMLSelectElement).value)}>
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {neutraliseBidi(c.name)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <form class="lzo-strategy" data-testid="strategy-section" noValidate onSubmit={(e) => void submit(e)}>
      <label>
        {t('strategy.mode')}
        <select data-testid="strategy-mode" value={mode} onChange={(e) => touch(setMode)((e.currentTarget as HTMLSelectElement).value as Mode)}>
          <option value="parallel">{t('strategy.mode.parallel')}</option>
          <option value="primary-backup">{t('strategy.mode.primaryBackup')}</option>
          <option value="routing">{t('strategy.mode.routing')}</option>
        </select>
      </label>
      {mode === 'primary-backup' && (
        <fieldset>
          {select('strategy-primary', primary, touch(setPrimary), t('strategy.primary'))}
          {select('strategy-backup', backup, touch(setBackup), t('strategy.backup'))}
          <label>
            {t('strategy.failover')}
            <input
              type="number"
              data-testid="strategy-failover"
              min={0}
              max={24 * 60}
              value={minutes}
              onInput={(e) => touch(setMinutes)(Math.max(0, Math.min(24 * 60, Math.round(Number((e.currentTarget as HTMLInputElement).value) || 0))))}
            />
          </label>
          <label>
            <input type="checkbox" data-testid="strategy-syncback" checked={syncBack} onChange={(e) => touch(setSyncBack)((e.currentTarget as HTMLInputElement).checked)} />
            {t('strategy.syncBack')}
          </label>
          {pbInvalid && (
            <p class="lzo-error" role="alert" data-testid="strategy-invalid">
              {t('strategy.needTwo')}
            </p>
          )}
        </fieldset>
      )}
      {mode === 'routing' && (
        <fieldset>
          {CATEGORIES.map((cat, i) => (
            <div key={cat}>
              <span>{t.term(cat)}</span>
              {picker(routes[cat] ?? [], (ids) => touch(setRoutes)({ ...routes, [cat]: ids }), String(i))}
            </div>
          ))}
          <div>
            <span>{t('strategy.default')}</span>
            {picker(fallback, touch(setFallback), 'default')}
          </div>
        </fieldset>
      )}
      <fieldset data-testid="strategy-tickets">
        <legend>{t('strategy.tickets')}</legend>
        <p class="lzo-hint">{t('strategy.tickets.hint')}</p>
        {TICKET_CATEGORIES.map((cat, i) => (
          <div key={cat}>
            <span>{t.term(cat)}</span>
            {picker(ticketRoutes[cat] ?? [], (ids) => touch(setTicketRoutes)({ ...ticketRoutes, [cat]: ids }), `ticket-${i}`, ticketTargets)}
          </div>
        ))}
      </fieldset>
      {robots.length > 0 && (
        <fieldset data-testid="strategy-groups">
          <legend>{t('strategy.groups')}</legend>
          <p class="lzo-hint">{t('strategy.groups.hint')}</p>
          {(['newLead', 'ticket'] as const).map((ev) => (
            <div key={ev}>
              <span>{t(`strategy.groups.${ev}`)}</span>
              {picker(groupPosts[ev] ?? [], (ids) => touch(setGroupPosts)({ ...groupPosts, [ev]: ids }), `group-${ev}`, robots)}
            </div>
          ))}
        </fieldset>
      )}
      <button type="submit" data-testid="strategy-save" disabled={action.busy || pbInvalid}>
        {t('strategy.save')}
      </button>
      {saved && <span data-testid="strategy-saved">{t('strategy.saved')}</span>}
      {action.error !== null && (
        <p class="lzo-error" role="alert" data-testid="strategy-error">
          {action.error}
        </p>
      )}
    </form>
  );
}
