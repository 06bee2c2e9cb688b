/**
 * One UPS over time: battery charge, runtime, load and input voltage, one uPlot chart each, with
 * the UPS's outages shaded, and the points as a table under them (what the charts draw, for
 * screen readers and for checking). uPlot is loaded by index.html as a classic script (a small,
 * dependency-free time-series chart: see the README), not imported.
 */
import { api } from '../api.js';
import { type UpsHistoryDto } from '../api-types.generated.js';
import { clear, clockTime, duration, h, notice } from '../dom.js';
import { onLive } from '../live-hub.js';
import { type UPlotChart, type UPlotConstructor, type UPlotOptions } from './uplot-types.js';

const UPlot = (window as unknown as { uPlot?: UPlotConstructor }).uPlot;

type Field = 'charge' | 'runtimeSeconds' | 'load' | 'inputVoltage';
const CHARTS: ReadonlyArray<{
  field: Field;
  title: string;
  unit: string;
  color: string;
  scale?: (v: number) => number;
}> = [
  { field: 'charge', title: 'Battery charge', unit: '%', color: '#1f7a3f' },
  { field: 'runtimeSeconds', title: 'Battery runtime', unit: 'min', color: '#1f5fa8', scale: (v) => v / 60 },
  { field: 'load', title: 'Load', unit: '%', color: '#a15c00' },
  { field: 'inputVoltage', title: 'Input voltage', unit: 'V', color: '#5f6b7a' },
];
const RANGES: ReadonlyArray<{ label: string; hours: number }> = [
  { label: '1 h', hours: 1 },
  { label: '6 h', hours: 6 },
  { label: '24 h', hours: 24 },
  { label: '7 days', hours: 168 },
];
const REFRESH_MS = 5000;

const cell = (v: number | null, digits = 1): string => (v === null ? '–' : String(Number(v.toFixed(digits))));

/** Shades each outage on the plot area: a positioned element per outage, placed by uPlot's own x scale. */
function outageMarks(history: UpsHistoryDto, to: number): NonNullable<UPlotOptions['plugins']>[number] {
  return {
    hooks: {
      draw: (u: UPlotChart) => {
        u.over.querySelectorAll('.outage-mark').forEach((el) => el.remove());
        for (const outage of history.outages) {
          const opened = Date.parse(outage.openedAt);
          const closed = outage.closedAt === null ? to : Date.parse(outage.closedAt);
          const left = Math.max(0, u.valToPos(opened / 1000, 'x'));
          const right = Math.min(u.over.clientWidth, u.valToPos(closed / 1000, 'x'));
          u.over.append(
            h('div', {
              class: 'outage-mark',
              'data-opened-at': outage.openedAt,
              'data-closed-at': outage.closedAt ?? '',
              title: `outage from ${clockTime(opened)}${outage.closedAt === null ? ', still open' : ` to ${clockTime(closed)}`}`,
              style: `left:${left}px;width:${Math.max(2, right - left)}px`,
            }),
          );
        }
      },
    },
  };
}

export function upsHistoryView(root: HTMLElement, id: string): () => void {
  let hours = 24;
  let charts: UPlotChart[] = [];
  let stopped = false;
  let last = 0;
  const body = h('div', { id: 'ups-history' });
  const title = h('h2', {}, 'UPS');
  const buttons = RANGES.map((r) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'data-hours': String(r.hours),
        onclick: () => {
          hours = r.hours;
          void load();
        },
      },
      r.label,
    ),
  );
  clear(
    root,
    h('p', {}, h('a', { href: '#/ups' }, '← UPSes')),
    title,
    h('div', { class: 'toolbar' }, ...buttons),
    body,
  );

  const load = async (): Promise<void> => {
    last = Date.now();
    const to = Date.now();
    const from = to - hours * 3600_000;
    const history = await api<UpsHistoryDto>('GET', `/upses/${id}/history?from=${from}&to=${to}&points=600`);
    if (stopped) return;
    buttons.forEach((b) => b.setAttribute('aria-pressed', String(Number(b.dataset.hours) === hours)));
    title.textContent = `${history.name}: the last ${RANGES.find((r) => r.hours === hours)?.label ?? `${hours} h`}`;
    charts.forEach((c) => c.destroy());
    charts = [];
    const xs = history.points.map((p) => p.at / 1000);
    const grid = h('div', { class: 'charts' });
    const outageList = h(
      'ul',
      { id: 'ups-outages', class: 'small' },
      ...history.outages.map((o) =>
        h(
          'li',
          { 'data-opened-at': o.openedAt },
          `Outage from ${clockTime(o.openedAt)}`,
          o.closedAt === null
            ? ' (still open)'
            : ` to ${clockTime(o.closedAt)} (${duration((Date.parse(o.closedAt) - Date.parse(o.openedAt)) / 1000)})`,
        ),
      ),
    );
    const table = h(
      'table',
      { id: 'ups-history-data', class: 'small' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Time', 'Charge %', 'Runtime s', 'Load %', 'Input V', 'Samples'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        ...history.points.map((p) =>
          h(
            'tr',
            { 'data-at': String(p.at) },
            h('td', {}, clockTime(p.at)),
            h('td', {}, cell(p.charge)),
            h('td', {}, cell(p.runtimeSeconds, 0)),
            h('td', {}, cell(p.load)),
            h('td', {}, cell(p.inputVoltage)),
            h('td', {}, p.samples),
          ),
        ),
      ),
    );
    clear(
      body,
      history.points.length === 0 ? notice('No sample recorded in this window yet.', 'info') : null,
      h(
        'p',
        { class: 'muted small' },
        `${history.sampleCount} samples recorded, ${history.points.length} points drawn.`,
      ),
      grid,
      history.outages.length === 0
        ? h('p', { class: 'muted small' }, 'No outage in this window.')
        : h('h3', {}, 'Outages'),
      outageList,
      h('details', {}, h('summary', {}, `The ${history.points.length} points as a table`), table),
    );
    if (UPlot === undefined) {
      grid.append(notice('The chart library did not load (vendor/uplot): the table below has the same points.'));
      return;
    }
    for (const chart of CHARTS) {
      const box = h('figure', {
        class: 'chart',
        'data-testid': `chart-${chart.field}`,
        'data-from': String(Date.parse(history.from)),
        'data-to': String(Date.parse(history.to)),
      });
      grid.append(box);
      const ys = history.points.map((p) => {
        const v = p[chart.field];
        return v === null ? null : chart.scale ? chart.scale(v) : v;
      });
      charts.push(
        new UPlot(
          {
            title: `${chart.title} (${chart.unit})`,
            width: Math.max(320, grid.clientWidth - 16),
            height: 180,
            scales: { x: { time: true, range: [Date.parse(history.from) / 1000, Date.parse(history.to) / 1000] } },
            series: [{}, { label: chart.title, stroke: chart.color, width: 2, spanGaps: false }],
            axes: [{}, { label: chart.unit }],
            legend: { show: false },
            plugins: [outageMarks(history, Date.parse(history.to))],
          },
          [xs, ys],
          box,
        ),
      );
    }
  };

  const off = onLive({
    ups: (ups) => {
      if (ups.id === id && Date.now() - last > REFRESH_MS) void load().catch(() => undefined);
    },
  });
  void load().catch((error: Error) => clear(body, notice(error.message)));
  return () => {
    stopped = true;
    off();
    charts.forEach((c) => c.destroy());
  };
}
