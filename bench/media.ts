/**
 * `npm run bench:media`: what making LINE's preview and Instagram's JPEG of a 10 MB photo costs.
 * A 4000×3000 JPEG of about 10 MB (noise over gradients, which does not compress) is made in a
 * child process first; then this process makes each derivative as the sender does (in a child
 * process of its own, `makeJpegInChild`) and prints the time, the resident memory of this process
 * before and after, and at its highest while the conversion ran this process's and the child's
 * together (RSS and PSS, read from /proc every 10 ms). Figures only; nothing is asserted.
 *
 * Options (environment): BENCH_ROUNDS (default 3).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DERIVATIVE_RECIPES } from "../src/app/publishing/platform-media.ts";
import { makeJpegInChild } from "../src/publishing/image-child.ts";
import type { JpegTarget } from "../src/publishing/image-convert.ts";
import { encodeJpegPixels } from "../test/support/jpeg-codec.ts";

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

/** Resident and proportional set sizes of a process in bytes (/proc), 0 when it has gone. */
function memoryOf(pid: number | string): { rss: number; pss: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
    return { rss: kb("Rss") * 1024, pss: kb("Pss") * 1024 };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/**
 * This process and its child processes (the converter while it runs) together: RSS counts the
 * pages the child shares with this process (Node's own code) twice, PSS shares them out.
 */
function withChildren(): { rss: number; pss: number } {
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8").trim().split(/\s+/);
  } catch {
    children = [];
  }
  return [String(process.pid), ...children.filter(Boolean)].reduce(
    (sum, pid) => {
      const one = memoryOf(pid);
      return { rss: sum.rss + one.rss, pss: sum.pss + one.pss };
    },
    { rss: 0, pss: 0 },
  );
}

async function measure(name: string, bytes: Uint8Array, target: JpegTarget) {
  const before = withChildren();
  const peak = { ...before };
  const sample = () => {
    const now = withChildren();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.pss = Math.max(peak.pss, now.pss);
  };
  const sampler = setInterval(sample, 10);
  const started = performance.now();
  const made = await makeJpegInChild({ bytes, contentType: "image/jpeg" }, target);
  const ms = Math.round(performance.now() - started);
  clearInterval(sampler);
  sample();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = withChildren();
  const figures = (key: "rss" | "pss") =>
    `${key.toUpperCase()} before ${mb(before[key])} MB, peak ${mb(peak[key])} MB (+${mb(peak[key] - before[key])}), after ${mb(after[key])} MB`;
  console.log(
    `${name.padEnd(8)} ${`${made.width}×${made.height}`.padEnd(10)} ${String(made.bytes.length).padStart(8)} B  q${made.quality}  ${String(ms).padStart(5)} ms  ${figures("rss")}; ${figures("pss")}`,
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
