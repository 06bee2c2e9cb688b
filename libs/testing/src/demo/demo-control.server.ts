import { createServer, type Server } from 'node:http';

/** What the control lets `npm run demo:outage` change: a demo UPS's dummy-ups variables. */
export type SetUpsVariables = (ups: string, variables: Record<string, string>) => void;

/**
 * The demo's control, on 127.0.0.1 only: `POST /ups/<name>` with `{"ups.status":"OB DISCHRG"}`
 * writes those variables into that UPS's dummy-ups file, as a power cut would change them.
 */
export async function startDemoControl(
  setVariables: SetUpsVariables | undefined,
): Promise<{ port: number; server: Server }> {
  const server = createServer((request, response) => {
    const match = /^\/ups\/([A-Za-z0-9._-]+)$/.exec(request.url ?? '');
    if (request.method === 'GET' && request.url === '/health') {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ nut: setVariables !== undefined }));
      return;
    }
    if (request.method !== 'POST' || !match?.[1]) {
      response.writeHead(404).end();
      return;
    }
    const ups = match[1];
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      try {
        if (!setVariables) throw new Error('no NUT server in this demo (install nut-server)');
        const parsed = JSON.parse(body) as unknown;
        if (typeof parsed !== 'object' || parsed === null) throw new Error('body must be a JSON object of variables');
        const vars = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
        setVariables(ups, vars);
        response.writeHead(204).end();
      } catch (error) {
        response
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, server };
}
