/**
 * Makes a JPEG derivative (`makeJpeg`) in a child process that ends when it is done, one at a time
 * (a queue), so the web server's own memory never holds a decoded photo and libvips is never loaded
 * into it: whatever the conversion takes (`npm run bench:media`) is given back to the system when
 * the child exits, and a file that crashed the decoder would end the child, not the server. The
 * child runs with glibc's malloc limited to two arenas (`MALLOC_ARENA_MAX`), a small young
 * generation and none of the server's environment variables. This file is both the launcher and
 * the child's body (Node strips the types itself).
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ImageConversionError, type JpegDerivative, type JpegTarget, makeJpeg } from "./image-convert.ts";

/** The argument that makes this file the child's body. */
const CHILD_FLAG = "--snsgov-image-child";
/** A conversion that has not answered by then is stopped (a 12-megapixel photo takes well under 1 s). */
const TIME_LIMIT_MS = 60_000;

type Job = { bytes: Uint8Array; contentType: string; target: JpegTarget };

let queue: Promise<unknown> = Promise.resolve();

/** The child's answer: the derivative, or why not (a conversion refusal keeps its Japanese reason). */
function fromMessage(message: unknown): JpegDerivative | Error {
  if (typeof message !== "object" || message === null) return new Error("image converter: no answer");
  if ("bytes" in message && message.bytes instanceof Uint8Array) {
    const { width, height, quality } = { width: 0, height: 0, quality: 0, ...message };
    return { bytes: message.bytes, width: Number(width), height: Number(height), quality: Number(quality) };
  }
  const text = "message" in message ? String(message.message) : "image converter failed";
  return "refused" in message && message.refused === true ? new ImageConversionError(text) : new Error(text);
}

/**
 * The child's environment: nothing of the server's (database URL, keys, tokens) but where programs
 * are, so a file that took over the decoder would find no secret there; glibc's malloc limited to
 * two arenas (libvips' threads otherwise keep memory in arenas of their own).
 */
export function childEnvironment(parent: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = { PATH: parent.PATH ?? "", MALLOC_ARENA_MAX: "2" };
  // Windows' own folder: some of Node's system calls there need it.
  if (parent.SystemRoot) env.SystemRoot = parent.SystemRoot;
  return env;
}

function runChild(job: Job): Promise<JpegDerivative> {
  return new Promise<JpegDerivative>((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], {
      execArgv: ["--max-semi-space-size=1"],
      env: childEnvironment(process.env),
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 2_000) stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), TIME_LIMIT_MS);
    let answer: JpegDerivative | Error | undefined;
    let settled = false;
    const settle = (outcome: JpegDerivative | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    child.once("message", (message: unknown) => {
      answer = fromMessage(message);
    });
    // Node may not emit "exit" after "error" (the child could not be started, or not be sent the job).
    child.once("error", (error) => settle(answer ?? error));
    child.once("exit", (code, signal) => {
      const detail = stderr.trim().slice(0, 500);
      settle(
        answer ??
          new Error(
            `image converter ended (${signal ?? code}) without an answer${detail ? `: ${detail}` : ""}`,
          ),
      );
    });
    child.send(job);
  });
}

/** `makeJpeg` in a child process of its own, one after the other. */
export function makeJpegInChild(
  source: { bytes: Uint8Array; contentType: string },
  target: JpegTarget,
): Promise<JpegDerivative> {
  const run = queue.then(() => runChild({ bytes: source.bytes, contentType: source.contentType, target }));
  queue = run.catch(() => undefined);
  return run;
}

const isJob = (value: unknown): value is Job =>
  typeof value === "object" &&
  value !== null &&
  "bytes" in value &&
  value.bytes instanceof Uint8Array &&
  "contentType" in value &&
  typeof value.contentType === "string" &&
  "target" in value &&
  typeof value.target === "object" &&
  value.target !== null &&
  ["maxSide", "maxBytes", "quality"].every(
    (key) => typeof Reflect.get(Object(value.target), key) === "number",
  );

if (process.argv[2] === CHILD_FLAG && process.send) {
  const send = process.send.bind(process);
  process.once("message", (job: unknown) => {
    const answer = isJob(job)
      ? makeJpeg({ bytes: job.bytes, contentType: job.contentType }, job.target).then(
          (made): unknown => made,
          (error: unknown) => ({
            refused: error instanceof ImageConversionError,
            message: error instanceof Error ? error.message : String(error),
          }),
        )
      : Promise.resolve({ refused: false, message: "image converter: malformed job" });
    void answer.then((message) => send(message, () => process.disconnect()));
  });
}
