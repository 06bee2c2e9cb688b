import { type Response } from 'express';

/**
 * Sends JSON built elsewhere (PostgreSQL, a cache) as is. Skips express's res.send, which would
 * hash every 60 kB page for an ETag on each request: measurable at thousands of req/s. Cached
 * responses are kept as bytes (UTF-8), so nothing is encoded or measured per request.
 */
export function sendJsonText(res: Response, json: string | Buffer): void {
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', typeof json === 'string' ? Buffer.byteLength(json) : json.length);
  res.end(json);
}
