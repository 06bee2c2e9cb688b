/** The API client: the token lives in sessionStorage (gone when the tab closes), sent as a bearer. */
export type Role = 'viewer' | 'operator' | 'admin';
const KEY = 'nutfleet.token';
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export class ApiCallError extends Error {
  public constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  save: (token: string): void => sessionStorage.setItem(KEY, token),
  clear: (): void => sessionStorage.removeItem(KEY),
  role: 'viewer' as Role,
  name: '',
  can(role: Role): boolean {
    return RANK[this.role] >= RANK[role];
  },
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.token();
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = parsed as { message?: string; fields?: { field: string; reason: string }[] } | undefined;
    const fields = error?.fields?.map((f) => `${f.field} ${f.reason}`).join('; ');
    if (response.status === 401) window.dispatchEvent(new Event('nutfleet:signed-out'));
    throw new ApiCallError(
      response.status,
      fields ? `${error?.message ?? ''}: ${fields}` : (error?.message ?? `HTTP ${response.status}`),
    );
  }
  return parsed as T;
}

export interface UpsView {
  id: string;
  name: string;
  address: string;
  status: string | null;
  flags: string[];
  onBattery: boolean;
  lowBattery: boolean;
  batteryCharge: number | null;
  batteryRuntimeSeconds: number | null;
  upsLoad: number | null;
  commState: 'UNKNOWN' | 'OK' | 'LOST';
  commError: string | null;
  lastSeenAt: string | null;
}

export interface HostView {
  id: string;
  name: string;
  address: string;
  trustState: 'UNTRUSTED' | 'TRUSTED' | 'MISMATCH';
  group: string | null;
  tags: string[];
  shutdownStage: number;
  restartWave: number;
  feeds: { upsId: string; ups?: string; powerValue?: number }[];
  esxiVersion: string | null;
  vibVersion: string | null;
  lastSeenAt: string | null;
  lastError: string | null;
}

export interface PowerEventView {
  id: string;
  type: string;
  upsId: string | null;
  planId: string | null;
  status: string | null;
  previousStatus: string | null;
  receivedAt: string;
}
