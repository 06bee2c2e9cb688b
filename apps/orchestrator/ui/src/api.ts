/** The API client: the token lives in sessionStorage (gone when the tab closes), sent as a bearer. */
import { type ApiErrorDto, type SessionDto } from './api-types.generated.js';

export type Role = SessionDto['role'];
const KEY = 'nutfleet.token';
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export class ApiCallError extends Error {
  public constructor(
    public readonly status: number,
    message: string,
    /** The error body as sent (e.g. an import's per-row report). */
    public readonly body?: unknown,
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

/**
 * One API call. `T` is the response's type and `B` the request body's, both from
 * api-types.generated.ts where the OpenAPI document has them.
 */
export async function api<T, B = never>(method: string, path: string, body?: B): Promise<T> {
  return send<T>(
    method,
    path,
    body === undefined ? undefined : { type: 'application/json', data: JSON.stringify(body) },
  );
}

/** A body sent as is: a CSV import (text/csv), an artifact upload (application/octet-stream). */
export async function apiRaw<T>(method: string, path: string, type: string, data: string | Blob): Promise<T> {
  return send<T>(method, path, { type, data });
}

async function send<T>(method: string, path: string, body?: { type: string; data: string | Blob }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.token();
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = body.type;
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: body.data }),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = parsed as Partial<ApiErrorDto> | undefined;
    const fields = error?.fields?.map((f) => `${f.field} ${f.reason}`).join('; ');
    if (response.status === 401) window.dispatchEvent(new Event('nutfleet:signed-out'));
    throw new ApiCallError(
      response.status,
      fields ? `${error?.message ?? ''}: ${fields}` : (error?.message ?? `HTTP ${response.status}`),
      parsed,
    );
  }
  return parsed as T;
}

/** A page the API renders (a plan's printable report), fetched with the token: its HTML text. */
export async function apiPage(path: string): Promise<string> {
  const headers: Record<string, string> = { accept: 'text/html' };
  const token = session.token();
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { headers });
  const text = await response.text();
  if (response.ok) return text;
  if (response.status === 401) window.dispatchEvent(new Event('nutfleet:signed-out'));
  let message = `HTTP ${response.status}`;
  try {
    message = (JSON.parse(text) as Partial<ApiErrorDto>).message ?? message;
  } catch {
    // Not an API error body (a proxy's page): the status says enough.
  }
  throw new ApiCallError(response.status, message);
}
