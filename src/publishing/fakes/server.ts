/**
 * The shared part of the loopback fakes of the platforms (テスト用の疑似サーバー): an HTTP server
 * on 127.0.0.1 that records every request it receives (method, path, headers, body) for contract
 * tests, and answers with a programmed fault when one is queued — a status with headers and body
 * (401, 403, 429 with Retry-After, 5xx), or no answer at all (a timeout). Used by the tests and by
 * `npm run demo`; never reaches the internet.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the fake received it. */
export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  /** The body's bytes as received (multipart uploads). */
  bytes: Buffer;
};

/** A programmed answer: a status, or `hang` (never answer: the client times out). */
export type Fault =
  | {
      status: number;
      headers?: Record<string, string>;
      body?: unknown;
      when?: (r: RecordedRequest) => boolean;
    }
  | { hang: true; when?: (r: RecordedRequest) => boolean };

/** What a fake's handler returns. */
export type FakeAnswer = { status: number; headers?: Record<string, string>; body?: unknown; html?: string };

export type FakeServer = {
  url: string;
  requests: RecordedRequest[];
  /** Queues a fault for the next request it matches (`when`; any by default). */
  fail(fault: Fault): void;
  close(): Promise<void>;
};

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value)) out[key] = value.join(", ");
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function answer(res: ServerResponse, reply: FakeAnswer): void {
  if (reply.html !== undefined) {
    res.writeHead(reply.status, { "Content-Type": "text/html; charset=utf-8", ...reply.headers });
    res.end(reply.html);
    return;
  }
  const body = reply.body === undefined ? "" : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(body === "" ? {} : { "Content-Type": "application/json" }),
    ...reply.headers,
  });
  res.end(body);
}

/** Starts a fake on 127.0.0.1 (port 0: any free one) with the platform's `handle`. */
export async function startFake(
  handle: (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>,
  port = 0,
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const bytes = await readBody(req);
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: headersOf(req),
        body: bytes.toString("utf8"),
        bytes,
      };
      requests.push(recorded);
      const index = faults.findIndex((f) => !f.when || f.when(recorded));
      const fault = index >= 0 ? faults.splice(index, 1)[0] : undefined;
      if (fault && "hang" in fault) {
        hanging.add(res);
        return;
      }
      if (fault) {
        answer(res, {
          status: fault.status,
          ...(fault.headers ? { headers: fault.headers } : {}),
          body: fault.body ?? { message: "fault injected by the fake" },
        });
        return;
      }
      try {
        answer(res, await handle(recorded));
      } catch (error) {
        answer(res, { status: 500, body: { message: error instanceof Error ? error.message : "error" } });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address: AddressInfo | string | null = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    requests,
    fail: (fault) => faults.push(fault),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A JSON body of a recorded request ({} when empty or not JSON). */
export function jsonOf(request: RecordedRequest): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(request.body);
    return typeof value === "object" && value !== null ? Object.fromEntries(Object.entries(value)) : {};
  } catch {
    return {};
  }
}

/** The bearer token of a request ("" when none). */
export function bearerOf(request: RecordedRequest): string {
  const header = request.headers.authorization ?? "";
  return header.startsWith("Bearer ") ? header.slice(7) : "";
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The fake's own page: what it received, clearly labelled as a test server (not the platform). */
export function listingPage(platform: string, items: { at: string; text: string; id: string }[]): FakeAnswer {
  const rows = items
    .map((i) => `<li><p>${escapeHtml(i.text)}</p><p>ID: ${escapeHtml(i.id)}／${escapeHtml(i.at)}</p></li>`)
    .join("");
  return {
    status: 200,
    html: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>テスト用の疑似サーバー（${platform}）</title></head><body><main><h1>テスト用の疑似サーバー（${platform}の代わり・サンプル）</h1><p>これは本物の${platform}ではありません。snsgov のデモとテストのために、このパソコンの中だけで動いている疑似サーバーです。受け取った投稿は外部には公開されません。</p><h2>受け取った投稿（${items.length}件）</h2><ol>${rows}</ol></main></body></html>`,
  };
}
