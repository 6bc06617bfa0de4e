/**
 * `npx tsx bench/cpu-profile.ts <file.cpuprofile> [top]`: where a profiled process spent its time,
 * by function: the top functions by their own time (self) and with what they called (inclusive),
 * in ms and per cent of the samples. For the server benchmark's process:
 *
 *   BENCH_ONLY=/staff npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/server.ts
 *   WINDOW=9.5 npx tsx bench/cpu-profile.ts /tmp/prof/*.cpuprofile
 *
 * WINDOW (seconds): only the samples of the last WINDOW seconds before the profile's end (the load
 * phase, without start-up and seeding). V8 samples wall-clock time: a function that waits in the
 * kernel while the machine is busy (a socket write: `writev`, `writeUtf8String`) is charged for
 * the wait too.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

type ProfileNode = z.infer<typeof profileSchema>["nodes"][number];

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: npx tsx bench/cpu-profile.ts <file.cpuprofile> [top]\n");
  process.exit(2);
}
const top = Number(topArg ?? 40);
const profile = profileSchema.parse(JSON.parse(readFileSync(file, "utf8")));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);

/** Microseconds per profile node, for the samples inside the window. */
const timeOf = new Map<number, number>();
const ends: number[] = [];
let clock = 0;
for (const delta of profile.timeDeltas) {
  clock += delta;
  ends.push(clock);
}
const end = clock;
const start = process.env.WINDOW ? end - Number(process.env.WINDOW) * 1e6 : Number.NEGATIVE_INFINITY;
profile.samples.forEach((id, i) => {
  if ((ends[i] ?? 0) < start) return;
  timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...timeOf.values()].reduce((a, b) => a + b, 0);

const here = process.cwd();
const label = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\//, "").replace(`${here}/`, "");
  return `${n.callFrame.functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "")}:${n.callFrame.lineNumber + 1}`;
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, us] of timeOf) {
  const node = byId.get(id);
  if (!node) continue;
  self.set(label(node), (self.get(label(node)) ?? 0) + us);
  // Each function once per sample, however often it recurses.
  const seen = new Set<string>();
  for (let at: ProfileNode | undefined = node; at; at = byId.get(parentOf.get(at.id) ?? -1)) {
    const key = label(at);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const lines = (times: Map<string, number>) =>
  [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, us]) =>
        `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`,
    )
    .join("\n");

process.stdout.write(
  `${file}: ${(total / 1000).toFixed(0)} ms sampled\n\nself\n${lines(self)}\n\ninclusive\n${lines(inclusive)}\n`,
);
