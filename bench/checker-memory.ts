/**
 * Resident memory of the morphological analyser, each way of loading it measured in a fresh
 * process: `process.memoryUsage()` after the modules are imported and before the dictionary is
 * read, then after the first analysis (with a garbage collection in between). Run alone with
 * `npx tsx bench/checker-memory.ts`; `npm run bench:checker` prints the same figures.
 *
 * - kuromoji: kuromoji's own loader (what the checker used before)
 * - compact: the IPADIC data of the kuromoji package in typed arrays (src/checker/morph/ipadic.ts)
 * - checker: the whole checker (pack, word lists, compact analyser) through loadChecker()
 * - lindera: lindera-wasm-nodejs-ipadic (dictionary embedded in its wasm), only when installed
 *
 * Environment: BENCH_MEMORY_RUNS (default 3; the median is reported).
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 3);

/** Figures of one way of loading, in bytes and milliseconds. */
export interface MemoryFigures {
  name: string;
  rssBefore: number;
  rssAfter: number;
  heapAfter: number;
  arrayBuffersAfter: number;
  loadMs: number;
}

const SAMPLE = "市内在住の会社員、木村正人（45）が書類送検されたとのことです。";

function script(which: string): string {
  const src = (p: string): string => JSON.stringify(join(ROOT, p));
  const load: Record<string, string> = {
    kuromoji: `const { loadKuromoji } = await import(${src("src/checker/morph/kuromoji.ts")});
      run = async () => (await loadKuromoji()).tokenize(SAMPLE);`,
    compact: `const { loadMorphology } = await import(${src("src/checker/morph/load.ts")});
      run = async () => (await loadMorphology()).tokenize(SAMPLE);`,
    checker: `const { loadChecker } = await import(${src("src/checker/index.ts")});
      run = async () => (await loadChecker()).check({ text: SAMPLE, platform: "x", kind: "post" });`,
    lindera: `const { createRequire } = await import("node:module");
      const { TokenizerBuilder } = createRequire(${src("package.json")})("lindera-wasm-nodejs-ipadic");
      run = async () => { const b = new TokenizerBuilder(); b.setDictionary("embedded://ipadic"); return b.build().tokenize(SAMPLE); };`,
  };
  return `
const SAMPLE = ${JSON.stringify(SAMPLE)};
let run;
${load[which] ?? ""}
const settle = () => new Promise((r) => setTimeout(r, 100));
globalThis.gc(); await settle();
const before = process.memoryUsage();
const t = performance.now();
await run();
const loadMs = performance.now() - t;
await settle(); globalThis.gc(); await settle();
const after = process.memoryUsage();
console.log(JSON.stringify({ rssBefore: before.rss, rssAfter: after.rss, heapAfter: after.heapUsed, arrayBuffersAfter: after.arrayBuffers, loadMs }));
`;
}

function once(which: string): Omit<MemoryFigures, "name"> {
  const loader = new URL("node_modules/tsx/dist/loader.mjs", `file://${ROOT}`).href;
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", loader, "--input-type=module", "-e", script(which)],
    { encoding: "utf8", cwd: ROOT },
  );
  if (r.status !== 0) throw new Error(`memory run ${which} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

function installed(name: string): boolean {
  try {
    createRequire(join(ROOT, "package.json")).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Measures every way of loading in fresh processes (median of BENCH_MEMORY_RUNS). */
export function memoryFigures(): MemoryFigures[] {
  const ways = [
    "kuromoji",
    "compact",
    "checker",
    ...(installed("lindera-wasm-nodejs-ipadic") ? ["lindera"] : []),
  ];
  return ways.map((name) => {
    const runs = Array.from({ length: RUNS }, () => once(name));
    return {
      name,
      rssBefore: median(runs.map((r) => r.rssBefore)),
      rssAfter: median(runs.map((r) => r.rssAfter)),
      heapAfter: median(runs.map((r) => r.heapAfter)),
      arrayBuffersAfter: median(runs.map((r) => r.arrayBuffersAfter)),
      loadMs: median(runs.map((r) => r.loadMs)),
    };
  });
}

const MB = 1024 * 1024;

/** The figures as lines of text. */
export function formatMemory(figures: readonly MemoryFigures[]): string {
  const rows = figures.map(
    (f) =>
      `  ${f.name.padEnd(9)} rss ${(f.rssBefore / MB).toFixed(0)} → ${(f.rssAfter / MB).toFixed(0)} MB ` +
      `(+${((f.rssAfter - f.rssBefore) / MB).toFixed(0)} MB), heap ${(f.heapAfter / MB).toFixed(0)} MB, ` +
      `array buffers ${(f.arrayBuffersAfter / MB).toFixed(0)} MB, load ${f.loadMs.toFixed(0)} ms`,
  );
  return [
    `memory (fresh process each, median of ${RUNS}; rss before = modules imported, after = first result):`,
    ...rows,
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(formatMemory(memoryFigures()));
}
