/**
 * What the loopback fakes of Facebook and Instagram share (テスト用の疑似サーバー): Graph API
 * paths under the pinned version (`/v25.0/…`; another version is a 404 like an unknown path),
 * the Bearer token check (code 190 answered 401, as for an expired token), and Graph's error
 * object `{ error: { message, type, code, error_subcode, fbtrace_id } }`.
 */
import { randomBytes } from "node:crypto";
import { GRAPH_VERSION } from "../graph.ts";
import { bearerOf, type FakeAnswer, type RecordedRequest } from "./server.ts";

/** A Graph error answer. */
export function graphFault(
  status: number,
  error: { message: string; type?: string; code: number; error_subcode?: number },
): FakeAnswer {
  return {
    status,
    body: {
      error: {
        type: "OAuthException",
        ...error,
        fbtrace_id: randomBytes(8).toString("base64url"),
      },
    },
  };
}

/** The faults a test queues, by name (`fake.fail(graphFaults.expired)`). */
export const graphFaults = {
  expired: graphFault(401, {
    message: "Error validating access token: Session has expired.",
    code: 190,
    error_subcode: 463,
  }),
  scope: graphFault(403, {
    message: "(#200) The user hasn't authorized the application to perform this action",
    code: 200,
  }),
  rate: graphFault(400, { message: "(#4) Application request limit reached", code: 4 }),
  pageRate: graphFault(400, {
    message: "(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
    code: 80001,
  }),
  down: graphFault(500, { message: "An unknown error has occurred.", code: 1, type: "OAuthException" }),
} satisfies Record<string, FakeAnswer>;

/** The path without the version prefix, or null when the version is not the pinned one. */
export function graphPath(request: RecordedRequest): string | null {
  const prefix = `/${GRAPH_VERSION}/`;
  return request.path.startsWith(prefix) ? request.path.slice(prefix.length - 1) : null;
}

/** The token of a request (Authorization: Bearer, or `access_token` as Graph also accepts). */
export function graphToken(request: RecordedRequest): string {
  return bearerOf(request) || (request.query.get("access_token") ?? "");
}

/** A JSON or form body as fields (Graph accepts both). */
export function graphFields(request: RecordedRequest): Record<string, unknown> {
  if ((request.headers["content-type"] ?? "").includes("application/json")) {
    try {
      const value: unknown = JSON.parse(request.body);
      return typeof value === "object" && value !== null ? Object.fromEntries(Object.entries(value)) : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(request.body));
}

/** A multipart body's fields and files. */
export async function multipartOf(request: RecordedRequest): Promise<FormData | null> {
  const type = request.headers["content-type"] ?? "";
  if (!type.startsWith("multipart/form-data")) return null;
  return new Response(new Uint8Array(request.bytes), { headers: { "content-type": type } }).formData();
}

/** Graph's answer for an unknown object. */
export const noSuchObject = (id: string, method: string) =>
  graphFault(400, {
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    type: "GraphMethodException",
    code: 100,
    error_subcode: 33,
  });
