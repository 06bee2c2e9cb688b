/** A PowerEvent as the API and the live stream show it (ids as strings: they are 64-bit). */
export interface PowerEventView {
  id: string;
  type: string;
  upsId: string | null;
  planId: string | null;
  status: string | null;
  previousStatus: string | null;
  data: unknown;
  observedAt: string | null;
  receivedAt: string;
}

export interface PowerEventRow {
  id: bigint;
  type: string;
  upsId: string | null;
  planId: string | null;
  status: string | null;
  previousStatus: string | null;
  data: unknown;
  observedAt: Date | null;
  receivedAt: Date;
}

export function powerEventView(row: PowerEventRow): PowerEventView {
  return {
    id: row.id.toString(),
    type: row.type,
    upsId: row.upsId,
    planId: row.planId,
    status: row.status,
    previousStatus: row.previousStatus,
    data: row.data,
    observedAt: row.observedAt?.toISOString() ?? null,
    receivedAt: row.receivedAt.toISOString(),
  };
}
