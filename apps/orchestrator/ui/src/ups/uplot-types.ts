/**
 * The part of uPlot's API the charts use (uPlot's own typings ship with its npm package; these
 * few lines keep the dashboard's build independent of it, as the library itself is only loaded
 * by the page from /ui/vendor/uplot/).
 */
export interface UPlotChart {
  readonly over: HTMLElement;
  valToPos(value: number, scaleKey: string): number;
  destroy(): void;
}

export interface UPlotOptions {
  title?: string;
  width: number;
  height: number;
  scales?: Record<string, { time?: boolean; range?: [number, number] }>;
  series: Array<{ label?: string; stroke?: string; width?: number; spanGaps?: boolean }>;
  axes?: Array<{ label?: string }>;
  legend?: { show?: boolean };
  plugins?: Array<{ hooks: { draw?: (u: UPlotChart) => void } }>;
}

export type UPlotConstructor = new (
  options: UPlotOptions,
  data: [number[], Array<number | null>],
  target: HTMLElement,
) => UPlotChart;
