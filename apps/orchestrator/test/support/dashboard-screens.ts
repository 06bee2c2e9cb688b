/**
 * What the browser specs read off the dashboard's outage and plan screens (Playwright only, never
 * the API), shared by the spec on recorded data and the set-up walkthrough's live outage.
 */
import { type Page } from 'playwright-core';

/** HH:MM:SS in this process's time zone, the browser's too (same machine, same TZ). */
export const clock = (at: number | Date): string => {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

const DAY = 86_400;

/** Seconds from `b` to `a`, two HH:MM:SS clocks read on the same day (or across one midnight). */
export function clockSecondsBetween(a: string, b: string): number {
  const seconds = (text: string): number => {
    const m = /^(\d\d):(\d\d):(\d\d)$/.exec(text);
    if (m === null) throw new Error(`not an HH:MM:SS clock: "${text}"`);
    return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  };
  return ((((seconds(a) - seconds(b) + DAY / 2) % DAY) + DAY) % DAY) - DAY / 2;
}

/** The outage banner with its one-sentence headline, shown. */
export const BANNER_HEADLINE = '#outage-banner:not([hidden]) [data-testid="outage-headline"]';

/** Every page of the dashboard's navigation but the one the test stands on. */
export const DASHBOARD_PAGES = ['#/fleet', '#/readiness', '#/ups', '#/plans', '#/rollouts', '#/setup', '#/settings'];

/**
 * Opens each page in turn and waits for the banner's headline on it; `onEach` reads more of the
 * banner there (e.g. its link to the live plan).
 */
export async function bannerOnEveryPage(
  page: Page,
  base: string,
  hashes: readonly string[] = DASHBOARD_PAGES,
  onEach?: (hash: string) => Promise<void>,
): Promise<void> {
  for (const hash of hashes) {
    await page.goto(`${base}/ui/${hash}`);
    await page.waitForSelector(BANNER_HEADLINE, { timeout: 10_000 });
    await onEach?.(hash);
  }
}

/** The plan page's step names, in the page's order ("esx-a · stop VM db-01"). */
export const stepLabels = (page: Page): Promise<string[]> =>
  page.locator('[data-testid="step-label"]').allTextContents();

/** The plan page's per-host result table, cell by cell: host, result, started, finished, duration, error. */
export async function hostResultRows(page: Page): Promise<string[][]> {
  const rows: string[][] = [];
  for (const row of await page.locator('#plan-results tbody tr').all())
    rows.push(await row.locator('td').allTextContents());
  return rows;
}
