/**
 * `npm run bench:media`: what making LINE's preview and Instagram's JPEG of a 10 MB photo costs.
 * A 4000×3000 JPEG of about 10 MB (noise over gradients, which does not compress) is made in a
 * child process first; then this process makes each derivative as the sender does (in a worker
 * thread, `makeJpegInWorker`) and prints the time, the resident memory of this process before,
 * at its highest while the worker ran (sampled every 10 ms) and after. Figures only; nothing is
 * asserted.
 *
 * Options (environment): BENCH_ROUNDS (default 3).
 */
import { spawnSync } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DERIVATIVE_RECIPES } from "../src/app/publishing/platform-media.ts";
import type { JpegTarget } from "../src/publishing/image-convert.ts";
import { makeJpegInWorker } from "../src/publishing/image-worker.ts";
import { encodeJpegPixels } from "../src/publishing/jpeg-codec.ts";

const WIDTH = 4000;
const HEIGHT = 3000;

async function makeSource(path: string): Promise<void> {
  const data = new Uint8ClampedArray(WIDTH * HEIGHT * 4);
  let seed = 1;
  for (let i = 0; i < WIDTH * HEIGHT; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const x = i % WIDTH;
    const y = Math.floor(i / WIDTH);
    const n = seed & 31;
    data[i * 4] = (x * 200) / WIDTH + n;
    data[i * 4 + 1] = (y * 200) / HEIGHT + ((seed >> 5) & 31);
    data[i * 4 + 2] = ((x ^ y) & 127) + ((seed >> 10) & 63);
    data[i * 4 + 3] = 255;
  }
  await writeFile(path, await encodeJpegPixels({ data, width: WIDTH, height: HEIGHT }, 95));
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

async function measure(name: string, bytes: Uint8Array, target: JpegTarget) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  const made = await makeJpegInWorker({ bytes, contentType: "image/jpeg" }, target);
  const ms = Math.round(performance.now() - started);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await new Promise((resolve) => setTimeout(resolve, 200));
  console.log(
    `${name.padEnd(8)} ${`${made.width}×${made.height}`.padEnd(10)} ${String(made.bytes.length).padStart(8)} B  q${made.quality}  ${String(ms).padStart(5)} ms  RSS before ${mb(before)} MB, peak ${mb(peak)} MB (+${mb(peak - before)}), after ${mb(process.memoryUsage().rss)} MB`,
  );
}

if (process.argv[2] === "--make-source") {
  await makeSource(process.argv[3] ?? "");
} else {
  const path = join(tmpdir(), `snsgov-bench-media-${process.pid}.jpg`);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, import.meta.filename, "--make-source", path],
    {
      stdio: "inherit",
    },
  );
  if (child.status !== 0) process.exit(child.status ?? 1);
  const bytes = new Uint8Array(await readFile(path));
  await rm(path, { force: true });
  console.log(
    `source: ${WIDTH}×${HEIGHT} JPEG, ${(bytes.length / 1e6).toFixed(1)} MB; node ${process.version}`,
  );
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  for (let i = 0; i < rounds; i++) {
    await measure("preview", bytes, DERIVATIVE_RECIPES.preview);
    await measure("jpeg", bytes, DERIVATIVE_RECIPES.jpeg);
  }
}
