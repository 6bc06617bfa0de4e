/**
 * Makes a JPEG derivative (`makeJpeg`) in a worker thread that ends when it is done: decoding a
 * 10 MB photo takes a second or two and about 140 MB, which would otherwise hold up the web
 * server's requests and stay with its process (WebAssembly memory does not shrink). One at a time
 * per process (a queue), so two large photos never add up. This file is both the launcher and the
 * worker's body.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { ImageConversionError, type JpegDerivative, type JpegTarget, makeJpeg } from "./image-convert.ts";

type Job = { snsgovImageJob: true; bytes: Uint8Array; contentType: string; target: JpegTarget };

const isJob = (value: unknown): value is Job =>
  typeof value === "object" && value !== null && "snsgovImageJob" in value && value.snsgovImageJob === true;

let queue: Promise<unknown> = Promise.resolve();

/** The worker's answer: the derivative, or why not (a conversion refusal keeps its Japanese reason). */
function fromMessage(message: unknown): JpegDerivative | Error {
  if (typeof message !== "object" || message === null) return new Error("image worker: no answer");
  if ("bytes" in message && message.bytes instanceof Uint8Array) {
    const { width, height, quality } = { width: 0, height: 0, quality: 0, ...message };
    return { bytes: message.bytes, width: Number(width), height: Number(height), quality: Number(quality) };
  }
  const text = "message" in message ? String(message.message) : "image worker failed";
  return "refused" in message && message.refused === true ? new ImageConversionError(text) : new Error(text);
}

function runWorker(source: { bytes: Uint8Array; contentType: string }, target: JpegTarget) {
  return new Promise<JpegDerivative>((resolve, reject) => {
    const job: Job = { snsgovImageJob: true, bytes: source.bytes, contentType: source.contentType, target };
    // Node strips the types of these files itself: the worker does without the tsx loader (and its thread).
    const worker = new Worker(new URL(import.meta.url), { workerData: job, execArgv: [] });
    let settled = false;
    worker.once("message", (message: unknown) => {
      settled = true;
      const answer = fromMessage(message);
      if (answer instanceof Error) reject(answer);
      else resolve(answer);
      void worker.terminate();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`image worker exited with ${code}`));
    });
  });
}

/** `makeJpeg` in a worker thread of its own, one after the other. */
export function makeJpegInWorker(
  source: { bytes: Uint8Array; contentType: string },
  target: JpegTarget,
): Promise<JpegDerivative> {
  const run = queue.then(() => runWorker(source, target));
  queue = run.catch(() => undefined);
  return run;
}

if (!isMainThread && parentPort && isJob(workerData)) {
  const port = parentPort;
  const job = workerData;
  makeJpeg({ bytes: job.bytes, contentType: job.contentType }, job.target).then(
    (made) => port.postMessage(made),
    (error: unknown) =>
      port.postMessage({
        refused: error instanceof ImageConversionError,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
}
