/** Every row of a paged inventory list (cursor pagination, 500 a page). */
import { api } from '../api.js';

interface Page<R> {
  items: R[];
  nextCursor: string | null;
}

export async function listAll<R>(path: string): Promise<R[]> {
  const rows: R[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<R> = await api<Page<R>>(
      'GET',
      `${path}${sep}limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return rows;
}
