/**
 * The banner on every page while an outage is open or a shutdown/restart plan runs: which UPSes,
 * since when, what nutfleet is doing, each plan's hosts done/total, with a link to the live plan.
 * Refreshed on every power event of the live stream and by a short poll (plans progress without
 * power events).
 */
import { api } from '../api.js';
import { type CurrentOutageDto, type PlanDetailDto, type UpsLiveDto } from '../api-types.generated.js';
import { clear, h } from '../dom.js';
import { onLive } from '../live-hub.js';
import { bannerContent } from './banner.text.js';

const POLL_ACTIVE_MS = 3000;
const POLL_IDLE_MS = 10_000;

export function startOutageBanner(root: HTMLElement): () => void {
  let stopped = false;
  let timer: number | undefined;
  let running = false;
  let again = false;
  const names = new Map<string, string>();

  const upsName = (id: string): string => names.get(id) ?? id;
  const loadNames = async (ids: readonly string[]): Promise<void> => {
    if (ids.every((id) => names.has(id))) return;
    for (const ups of await api<UpsLiveDto[]>('GET', '/ups')) names.set(ups.id, ups.name);
  };

  const refresh = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    window.clearTimeout(timer);
    let active = false;
    try {
      const current = await api<CurrentOutageDto>('GET', '/outages/current');
      const plans = await Promise.all(current.runningPlanIds.map((id) => api<PlanDetailDto>('GET', `/plans/${id}`)));
      await loadNames(current.outage?.upsIds ?? []);
      const content = bannerContent(current, plans, upsName, Date.now());
      active = content !== null;
      if (stopped) return;
      if (content === null) {
        root.hidden = true;
        clear(root);
      } else {
        root.hidden = false;
        clear(
          root,
          content.headline === null ? null : h('strong', { 'data-testid': 'outage-headline' }, content.headline),
          ...content.plans.map((p) =>
            h(
              'span',
              { class: 'banner-plan' },
              h('a', { href: `#/plans/${p.id}`, 'data-testid': 'banner-plan-link' }, p.text),
            ),
          ),
        );
      }
    } catch {
      // The API is unreachable or the token refused (sign-in handles that): try again later.
    } finally {
      running = false;
    }
    if (stopped) return;
    if (again) {
      again = false;
      void refresh();
    } else timer = window.setTimeout(() => void refresh(), active ? POLL_ACTIVE_MS : POLL_IDLE_MS);
  };

  const off = onLive({ event: () => void refresh() });
  void refresh();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    off();
    root.hidden = true;
    clear(root);
  };
}
