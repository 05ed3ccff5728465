/** A real HTTP receiver on loopback that records what it was sent and answers as told. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { answer: number; body?: string }
  /** Reads the request, then never answers. */
  | { hang: true }
  /** Answers after `ms`, longer than the bound the test configures. */
  | { slowMs: number }
  /** Reads the request, then closes the connection without a response. */
  | { destroy: true };

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(behaviour: Behaviour = { answer: 200, body: 'ok' }): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      if ('answer' in behaviour) {
        res.writeHead(behaviour.answer, { 'Content-Type': 'text/plain' }).end(behaviour.body ?? '');
      } else if ('destroy' in behaviour) {
        req.socket.destroy();
      } else if ('slowMs' in behaviour) {
        const t = setTimeout(() => res.writeHead(200).end('ok'), behaviour.slowMs);
        timers.add(t);
      }
      // hang: never answer
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/s3cr3tpath`,
    requests,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
