/**
 * `npm run bench:checker`: the compliance checker against textlint (@textlint/kernel +
 * textlint-rule-ja-no-inappropriate-words) on the same posts in the same process, on two sets:
 *
 * - dense: the labelled corpora (test/fixtures/checker/*.jsonl and the shared corpus when it is
 *   beside the repository) with small variations (prefixes, suffixes, digits, widths, names),
 *   most of them breaking a rule or nearly so — every rule has work to do;
 * - realistic: generated municipal announcements, 15% of them breaking a rule.
 *
 * Each set is run BENCH_REPEAT times, checker and textlint alternately, and every run prints its
 * own ratio (the machine is shared: compare figures of the same run). Then memory (fresh
 * processes, bench/checker-memory.ts), cold start and the size of a browser bundle.
 *
 * Environment: BENCH_DENSE_POSTS (default 10000), BENCH_POSTS (realistic, default 12000),
 * BENCH_REPEAT (default 3), BENCH_SEED (default 20251120), BENCH_SHARED_CORPUS (default
 * ../shared/checker-corpus/public.jsonl).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { fakerJA as faker } from "@faker-js/faker";
import type { TxtDocumentNode } from "@textlint/ast-node-types";
import {
  TextlintKernel,
  type TextlintKernelPlugin,
  type TextlintKernelRule,
  type TextlintRuleModule,
} from "@textlint/kernel";
import { build } from "esbuild";
import {
  type CheckInput,
  compilePack,
  createChecker,
  type Platform,
  platformSchema,
  readDefaultPack,
  readLists,
} from "../src/checker/index.ts";
import { loadMorphology } from "../src/checker/morph/load.ts";
import type { Morphology } from "../src/checker/morph/types.ts";
import { formatMemory, memoryFigures } from "./checker-memory.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const POSTS = Number(process.env.BENCH_POSTS ?? 12_000);
const DENSE_POSTS = Number(process.env.BENCH_DENSE_POSTS ?? 10_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const SHARED_CORPUS = process.env.BENCH_SHARED_CORPUS ?? join(ROOT, "../shared/checker-corpus/public.jsonl");
faker.seed(Number(process.env.BENCH_SEED ?? 20_251_120));

// ---------------------------------------------------------------------------------------------
// Generated posts: the city's usual announcements, with a minority that breaks a rule.

const WEEKDAYS = "日月火水木金土";
const FACILITIES = [
  "いわき市文化センター",
  "いわき芸術文化交流館アリオス",
  "いわき市立美術館",
  "平体育館",
  "いわき市総合図書館",
  "小名浜支所",
  "勿来関文学歴史館",
  "いわき市生涯学習プラザ",
  "21世紀の森公園",
];
const DIVISIONS = [
  "市民課",
  "観光振興課",
  "こども家庭課",
  "健康づくり推進課",
  "ごみ減量推進課",
  "広報広聴課",
  "道路管理課",
];
const EVENTS = [
  "冬の市民交流まつり",
  "健康まつり",
  "子ども読書フェスタ",
  "防災フェア",
  "市民写真展",
  "フラダンス発表会",
];
const AREAS = ["平", "小名浜", "勿来", "常磐", "内郷", "四倉", "遠野", "小川", "好間", "三和"];

/** The day the post being generated is written (set per post by generate()). */
let postDay = new Date(Date.UTC(2026, 0, 1));

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A date a few days to six weeks after the post date, with its (correct) weekday. */
function date2026(): { m: number; d: number; w: string } {
  const dt = new Date(postDay.getTime() + faker.number.int({ min: 1, max: 45 }) * 86_400_000);
  return { m: dt.getUTCMonth() + 1, d: dt.getUTCDate(), w: WEEKDAYS[dt.getUTCDay()] ?? "日" };
}

function cityUrl(): string {
  return `https://www.city.iwaki.lg.jp/www/contents/${faker.string.numeric(13)}.html`;
}

const clean: (() => string)[] = [
  () => {
    const a = date2026();
    return `【お知らせ】${a.m}月${a.d}日（${a.w}）${faker.number.int({ min: 9, max: 15 })}時から、${faker.helpers.arrayElement(FACILITIES)}で「${faker.helpers.arrayElement(EVENTS)}」を開催します。入場無料です。詳しくは市ホームページをご覧ください。${cityUrl()}`;
  },
  () => {
    const a = date2026();
    return `${faker.helpers.arrayElement(FACILITIES)}は、${a.m}月${a.d}日（${a.w}）から設備点検のため臨時休館します。ご迷惑をおかけしますが、ご理解とご協力をお願いします。`;
  },
  () =>
    `【気象情報】${faker.helpers.arrayElement(["福島県浜通り", "いわき市"])}に${faker.helpers.arrayElement(["大雨警報", "暴風警報", "大雪注意報", "高潮警報"])}が発表されました。河川の増水や土砂災害に十分注意し、早めの避難を心がけてください。避難所の開設状況は市ホームページでお知らせします。`,
  () =>
    `【${faker.helpers.arrayElement(AREAS)}地区】明日は${faker.helpers.arrayElement(["プラスチック資源", "燃やすごみ", "びん・缶", "古紙"])}の収集日です。朝8時30分までに集積所へお出しください。`,
  () => {
    const a = date2026();
    return `${faker.helpers.arrayElement(["親子料理教室", "シニア健康体操", "パソコン講座", "英会話教室"])}の参加者を募集します。対象：市内在住・在勤の方。定員${faker.number.int({ min: 10, max: 40 })}名（先着順）。申込みは${a.m}月${a.d}日（${a.w}）までに${faker.helpers.arrayElement(DIVISIONS)}（0246-22-${faker.string.numeric(4)}）へ。`;
  },
  () =>
    `${faker.helpers.arrayElement(["インフルエンザ", "新型コロナウイルス感染症", "帯状疱疹"])}の予防接種を実施しています。対象は65歳以上の方です。自己負担額は${faker.helpers.arrayElement(["1,500", "2,000", "3,000"])}円です。 #いわき市 #健康`,
  () =>
    `${faker.helpers.arrayElement(["小名浜港", "塩屋埼灯台", "勿来の関", "いわき七浜", "夏井川渓谷"])}の${faker.helpers.arrayElement(["夕焼け", "朝日", "紅葉", "桜"])}です。${faker.helpers.arrayElement(["春", "秋", "冬"])}らしい景色をお楽しみください。#いわき #${faker.helpers.arrayElement(["小名浜", "観光", "絶景"])} #${faker.helpers.arrayElement(["夕焼け", "旅", "福島"])}`,
  () =>
    `本日の${faker.helpers.arrayElement(["全国高校駅伝福島県予選", "市民駅伝大会", "県中学校体育大会"])}で、市内の${faker.helpers.arrayElement(["平第一高校", "磐城高校", "小名浜第一中学校"])}が${faker.helpers.arrayElement(["優勝", "準優勝", "入賞"])}しました！おめでとうございます。`,
  () => {
    const a = date2026();
    return `市道${faker.helpers.arrayElement(AREAS)}${faker.number.int({ min: 1, max: 40 })}号線は、${a.m}月${a.d}日（${a.w}）9時から16時まで、舗装工事のため通行止めとなります。迂回路をご利用ください。詳しくは${faker.helpers.arrayElement(DIVISIONS)}（0246-22-1111）まで。`;
  },
  () => {
    const a = date2026();
    return `物価高騰対策の給付金について、申請受付を${a.m}月${a.d}日（${a.w}）から開始します。対象となる世帯には案内を郵送しています。必要な書類や申請方法は市ホームページでご確認ください。${cityUrl()} 総務省の解説ページ https://www.soumu.go.jp/menu_seisaku/index.html`;
  },
  () =>
    `いわき市では、市民の皆さんの健康づくりを応援するため、ウォーキングイベントや健康相談会、栄養教室などを実施しています。今年度は新たに、スマートフォンのアプリを活用したポイント制度を導入しました。歩数に応じて、市内の協力店舗で使えるクーポンと交換できます。詳しくは健康づくり推進課までお問い合わせください。`,
];

const violating: (() => string)[] = [
  () =>
    `本日、市民の${faker.person.lastName()}${faker.person.firstName()}さん（090-${faker.string.numeric(4)}-${faker.string.numeric(4)}）から貴重なご意見をいただきました。`,
  () => `ごみ収集日程の変更について、詳しくはこちら https://bit.ly/${faker.string.alphanumeric(7)}`,
  () =>
    `地元のニュースサイトでも紹介されました。https://www.${faker.word.noun()}-news.jp/articles/${faker.string.numeric(5)}`,
  () =>
    `駅前の${faker.helpers.arrayElement(["スーパー", "書店", "映画館"])}が来月閉店するらしいです。詳しいことはまだわかりません。`,
  () => `こんなこともわからないなんて、本当にバカなんですか？ホームページをよく読んでください。`,
  () => {
    const a = date2026();
    const wrong = WEEKDAYS[(WEEKDAYS.indexOf(a.w) + faker.number.int({ min: 1, max: 6 })) % 7];
    return `【お知らせ】${a.m}月${a.d}日（${wrong}）は、市役所本庁舎の臨時開庁日です。`;
  },
  () => `夜間窓口をご利用の際は、通用口の暗証番号${faker.string.numeric(4)}を入力してお入りください。`,
  () =>
    `まだ公表前ですが、来年度から市内の小学校${faker.number.int({ min: 2, max: 5 })}校が統合される方向で調整中です。`,
  () => `個人的には、今回の駅前再開発計画には反対です。皆さんはどう思いますか？`,
];

const LONG_PLATFORMS: Platform[] = ["facebook", "line"];
const PLATFORM_WEIGHTS: { weight: number; value: Platform }[] = [
  { weight: 6, value: "x" },
  { weight: 2, value: "facebook" },
  { weight: 1, value: "instagram" },
  { weight: 1, value: "line" },
];

function generate(n: number): CheckInput[] {
  const out: CheckInput[] = [];
  for (let i = 0; i < n; i++) {
    postDay = new Date(Date.UTC(2026, 0, 1 + faker.number.int({ min: 0, max: 364 })));
    const bad = faker.number.float() < 0.15;
    const text = faker.helpers.arrayElement(bad ? violating : clean)();
    // Long announcements go where they fit (an X post has 140 full-width characters).
    const platform =
      text.length > 135
        ? faker.helpers.arrayElement(LONG_PLATFORMS)
        : faker.helpers.weightedArrayElement(PLATFORM_WEIGHTS);
    out.push({ text, platform, kind: "post", postDate: isoDate(postDay) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Problem-dense posts: the labelled corpora with small variations.

const SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤"];
const PREFIXES = ["", "", "【お知らせ】", "【重要】", "〔再掲〕"];
const SUFFIXES = ["", "", " #いわき市", "詳しくは市ホームページをご覧ください。", ` ${cityUrl()}`];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

/** Lines of the JSONL corpora that exist (fixtures in the repository, the shared corpus beside it). */
function corpusLines(): CheckInput[] {
  const files = [
    join(ROOT, "test/fixtures/checker/dev.jsonl"),
    join(ROOT, "test/fixtures/checker/held-out.jsonl"),
    SHARED_CORPUS,
  ].filter((f) => existsSync(f));
  const out: CheckInput[] = [];
  for (const f of files) {
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const o: unknown = JSON.parse(line);
      if (!isObject(o) || typeof o.text !== "string") continue;
      const kind = o.kind === "bio" || o.kind === "correction" ? o.kind : "post";
      const account = isObject(o.account)
        ? {
            division: typeof o.account.division === "string" ? o.account.division : undefined,
            homepageUrl: typeof o.account.homepageUrl === "string" ? o.account.homepageUrl : undefined,
          }
        : undefined;
      const platform = platformSchema.safeParse(o.platform);
      out.push({
        text: o.text,
        platform: platform.success ? platform.data : "x",
        kind,
        ...(account ? { account } : {}),
        ...(typeof o.postDate === "string" ? { postDate: o.postDate } : {}),
      });
    }
  }
  return out;
}

/** A corpus line changed a little: digits shifted, a surname swapped, full width, a prefix or a suffix. */
function vary(p: CheckInput): CheckInput {
  let text = p.text;
  const shift = faker.number.int({ min: 0, max: 9 });
  if (shift > 0) text = text.replace(/\d/g, (d) => String((Number(d) + shift) % 10));
  const from = SURNAMES.find((n) => text.includes(n));
  if (from) text = text.replaceAll(from, faker.helpers.arrayElement(SURNAMES));
  if (faker.number.float() < 0.2) {
    text = text.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode((c.codePointAt(0) ?? 0) + 0xfee0));
  }
  if (p.kind === "post") {
    text = `${faker.helpers.arrayElement(PREFIXES)}${text}${faker.helpers.arrayElement(SUFFIXES)}`;
  }
  return { ...p, text };
}

function densePosts(n: number): CheckInput[] {
  const base = corpusLines();
  const out: CheckInput[] = [];
  for (let i = 0; i < n; i++) {
    const p = base[i % base.length];
    if (p) out.push(i < base.length ? p : vary(p));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measuring.

interface Run {
  postsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Per-post latency without the noise of other processes: each post is checked three times and
 * the fastest run counts (preemption rarely hits all three).
 */
function latencyMinOf3(posts: CheckInput[], run: (p: CheckInput) => unknown): number[] {
  const out: number[] = [];
  for (const p of posts) {
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      const s = performance.now();
      run(p);
      best = Math.min(best, performance.now() - s);
    }
    out.push(best);
  }
  return out;
}

/** Main-thread CPU time in milliseconds (not disturbed by other processes on a shared machine). */
function cpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

function summarise(latenciesMs: number[], totalMs: number): Run {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { postsPerSecond: (latenciesMs.length / totalMs) * 1000, p50: at(0.5), p99: at(0.99), max: at(1) };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function us(ms: number): string {
  return `${(ms * 1000).toFixed(0)} µs`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

/** kuromoji wrapped to count how many posts needed it and how much text it analysed. */
function counting(morph: Morphology): { morph: Morphology; calls: () => number; chars: () => number } {
  let calls = 0;
  let chars = 0;
  return {
    morph: {
      tokenize(text: string) {
        calls++;
        chars += text.length;
        return morph.tokenize(text);
      },
    },
    calls: () => calls,
    chars: () => chars,
  };
}

interface Pass {
  wallMs: number;
  cpuMs: number;
  /** Wall time of each post, in milliseconds. */
  lat: number[];
}

/** The checker with a counting analyser (how often and on how much text it ran). */
async function makeChecker() {
  const pack = await readDefaultPack();
  const [lists, morph] = await Promise.all([readLists(pack), loadMorphology()]);
  const counter = counting(morph);
  return { checker: createChecker(compilePack(pack, lists), counter.morph), counter };
}

type BenchChecker = Awaited<ReturnType<typeof makeChecker>>;
const NOW = new Date("2025-11-20T01:00:00Z");

function checkerPass(c: BenchChecker, posts: CheckInput[]): Pass {
  const lat: number[] = [];
  const t0 = performance.now();
  const c0 = cpuMs();
  for (const p of posts) {
    const s = performance.now();
    c.checker.check(p, NOW);
    lat.push(performance.now() - s);
  }
  return { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, lat };
}

/** Posts that needed the analyser, windows analysed and their share of the text; clean posts flagged. */
function checkerDetails(c: BenchChecker, posts: CheckInput[], realistic: boolean) {
  let postsWithMorph = 0;
  let flaggedClean = 0;
  let cleanCount = 0;
  const calls0 = c.counter.calls();
  const chars0 = c.counter.chars();
  for (const p of posts) {
    const before = c.counter.calls();
    const result = c.checker.check(p, NOW);
    if (c.counter.calls() > before) postsWithMorph++;
    if (realistic && !isViolating(p.text)) {
      cleanCount++;
      if (result.findings.some((f) => f.severity !== "info")) flaggedClean++;
    }
  }
  const chars = posts.reduce((n, p) => n + p.text.length, 0);
  return {
    postsWithMorph,
    calls: c.counter.calls() - calls0,
    analysedShare: (c.counter.chars() - chars0) / chars,
    flaggedClean,
    cleanCount,
  };
}

const VIOLATION_MARKERS = [
  "さん（090",
  "bit.ly",
  "-news.jp",
  "するらしい",
  "バカ",
  "臨時開庁日",
  "暗証番号",
  "公表前",
  "個人的には",
];
function isViolating(text: string): boolean {
  return VIOLATION_MARKERS.some((m) => text.includes(m));
}

function isRuleModule(x: unknown): x is { default: TextlintRuleModule } {
  return typeof x === "object" && x !== null && "default" in x && typeof x.default === "function";
}

/** A plain-text processor: one paragraph per line, each a single Str node (what textlint's text plugin does for posts). */
class TextProcessor {
  availableExtensions(): string[] {
    return [".txt"];
  }
  processor(_ext: string) {
    return {
      preProcess(text: string): TxtDocumentNode {
        const end = { line: 1, column: text.length };
        const loc = { start: { line: 1, column: 0 }, end };
        const range: [number, number] = [0, text.length];
        return {
          type: "Document",
          raw: text,
          range,
          loc,
          children: [
            {
              type: "Paragraph",
              raw: text,
              range,
              loc,
              children: [{ type: "Str", value: text, raw: text, range, loc }],
            },
          ],
        };
      },
      postProcess(messages: never[], filePath?: string) {
        return { messages, filePath: filePath ?? "<text>" };
      },
    };
  }
}

async function makeTextlint() {
  const require = createRequire(import.meta.url);
  const loaded: unknown = require("textlint-rule-ja-no-inappropriate-words");
  if (!isRuleModule(loaded)) throw new Error("textlint-rule-ja-no-inappropriate-words has no default export");
  const kernel = new TextlintKernel();
  const rules: TextlintKernelRule[] = [{ ruleId: "ja-no-inappropriate-words", rule: loaded.default }];
  const plugins: TextlintKernelPlugin[] = [{ pluginId: "text", plugin: { Processor: TextProcessor } }];
  const options = { ext: ".txt", plugins, rules };
  const t = performance.now();
  await kernel.lintText("テスト", options);
  return { kernel, options, firstMs: performance.now() - t };
}

type BenchTextlint = Awaited<ReturnType<typeof makeTextlint>>;

async function textlintPass(t: BenchTextlint, posts: CheckInput[]): Promise<Pass> {
  const lat: number[] = [];
  const t0 = performance.now();
  const c0 = cpuMs();
  for (const p of posts) {
    const s = performance.now();
    await t.kernel.lintText(p.text, t.options);
    lat.push(performance.now() - s);
  }
  return { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, lat };
}

interface SetFigures {
  posts: number;
  meanChars: number;
  runs: {
    checker: Run;
    checkerCpuPostsPerSecond: number;
    textlint: Run;
    textlintCpuPostsPerSecond: number;
    ratio: number;
    cpuRatio: number;
  }[];
  medianRatio: number;
  medianCpuRatio: number;
  fastestOf3: Run;
  details: ReturnType<typeof checkerDetails>;
}

/** Checker and textlint alternately, REPEAT times, on the same posts; one line per run. */
async function benchSet(
  name: string,
  posts: CheckInput[],
  c: BenchChecker,
  t: BenchTextlint,
  realistic: boolean,
): Promise<SetFigures> {
  const chars = posts.reduce((n, p) => n + p.text.length, 0);
  process.stdout.write(
    `${name}: ${posts.length} posts (mean ${(chars / posts.length).toFixed(0)} characters), load average ${loadavg()[0]?.toFixed(1)}\n`,
  );
  // Warm-up: one whole pass each, so that both are measured with their code optimised.
  for (const p of posts) c.checker.check(p, NOW);
  for (const p of posts) await t.kernel.lintText(p.text, t.options);
  const runs: SetFigures["runs"] = [];
  for (let r = 0; r < REPEAT; r++) {
    const cp = checkerPass(c, posts);
    const tp = await textlintPass(t, posts);
    const checker = summarise(cp.lat, cp.wallMs);
    const textlint = summarise(tp.lat, tp.wallMs);
    const run = {
      checker,
      checkerCpuPostsPerSecond: (posts.length / cp.cpuMs) * 1000,
      textlint,
      textlintCpuPostsPerSecond: (posts.length / tp.cpuMs) * 1000,
      ratio: checker.postsPerSecond / textlint.postsPerSecond,
      cpuRatio: tp.cpuMs / cp.cpuMs,
    };
    runs.push(run);
    process.stdout.write(
      `  run ${r + 1}: checker ${run.checker.postsPerSecond.toFixed(0)} posts/s (CPU ${run.checkerCpuPostsPerSecond.toFixed(0)}), ` +
        `textlint ${run.textlint.postsPerSecond.toFixed(0)} posts/s (CPU ${run.textlintCpuPostsPerSecond.toFixed(0)}) → ` +
        `${run.ratio.toFixed(1)}× (CPU ${run.cpuRatio.toFixed(1)}×); checker p50 ${us(checker.p50)}, p99 ${us(checker.p99)}; ` +
        `textlint p50 ${us(textlint.p50)}, p99 ${us(textlint.p99)}; load ${loadavg()[0]?.toFixed(1)}\n`,
    );
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const fastestOf3 = summarise(
    latencyMinOf3(posts, (p) => c.checker.check(p, NOW)),
    1,
  );
  const details = checkerDetails(c, posts, realistic);
  const figures: SetFigures = {
    posts: posts.length,
    meanChars: chars / posts.length,
    runs,
    medianRatio: med(runs.map((r) => r.ratio)),
    medianCpuRatio: med(runs.map((r) => r.cpuRatio)),
    fastestOf3,
    details,
  };
  process.stdout.write(
    [
      `  median ratio ${figures.medianRatio.toFixed(1)}× (CPU ${figures.medianCpuRatio.toFixed(1)}×); checker latency fastest of 3 runs per post: p50 ${us(fastestOf3.p50)}, p99 ${us(fastestOf3.p99)}, max ${fastestOf3.max.toFixed(2)} ms`,
      `  analyser ran on ${((details.postsWithMorph / posts.length) * 100).toFixed(1)}% of posts, ${details.calls} windows, ${(details.analysedShare * 100).toFixed(1)}% of the text` +
        (realistic ? `; clean posts flagged ${details.flaggedClean}/${details.cleanCount}` : ""),
      "",
    ].join("\n"),
  );
  return figures;
}

const COLD = `
const t0 = performance.now();
const { loadChecker } = await import(${JSON.stringify(join(ROOT, "src/checker/index.ts"))});
const t1 = performance.now();
const c1 = process.threadCpuUsage();
const checker = await loadChecker();
checker.check({ text: "本日、市民の山田花子さん（090-1234-5678）からご意見をいただきました。", platform: "x", kind: "post" });
const t2 = performance.now();
const c2 = process.threadCpuUsage(c1);
globalThis.gc?.();
const m = process.memoryUsage();
console.log(JSON.stringify({ importMs: t1 - t0, loadToFirstMs: t2 - t1, processToFirstMs: process.uptime() * 1000, loadToFirstCpuMs: (c2.user + c2.system) / 1000, rss: m.rss, heapUsed: m.heapUsed, external: m.external }));
`;

function coldStart() {
  const loader = new URL("node_modules/tsx/dist/loader.mjs", `file://${ROOT}`).href;
  const runs: {
    importMs: number;
    loadToFirstMs: number;
    processToFirstMs: number;
    loadToFirstCpuMs: number;
    rss: number;
    heapUsed: number;
    external: number;
  }[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(
      process.execPath,
      ["--expose-gc", "--import", loader, "--input-type=module", "-e", COLD],
      {
        encoding: "utf8",
        cwd: ROOT,
      },
    );
    if (r.status !== 0) throw new Error(`cold start run failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}"));
  }
  const median = <K extends keyof (typeof runs)[number]>(k: K): number =>
    [...runs].map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? 0;
  return {
    importMs: median("importMs"),
    loadToFirstMs: median("loadToFirstMs"),
    processToFirstMs: median("processToFirstMs"),
    loadToFirstCpuMs: median("loadToFirstCpuMs"),
    rss: median("rss"),
    heapUsed: median("heapUsed"),
    external: median("external"),
  };
}

/**
 * What a staff page would bundle: the engine, the rules and kuromoji's browser loader, with the
 * pack validated on the server beforehand (so zod stays out) and the word lists inlined.
 */
function bundleEntry(pack: unknown, lists: Map<string, string>): string {
  return `
import kuromoji from "kuromoji";
import { compilePack } from "./src/checker/compile.ts";
import { createChecker } from "./src/checker/engine.ts";
const pack = ${JSON.stringify(pack)};
const lists = new Map(${JSON.stringify([...lists])});
export function start(dicPath) {
  return new Promise((resolve, reject) => kuromoji.builder({ dicPath }).build((error, tokenizer) => {
    if (error) return reject(error);
    const tokenize = (text) => {
      let at = 0;
      return tokenizer.tokenize(text).map((x) => {
        const start = text.indexOf(x.surface_form, at);
        at = start + x.surface_form.length;
        return { start, end: at, surface: x.surface_form, pos: x.pos, pos1: x.pos_detail_1, pos2: x.pos_detail_2,
          pos3: x.pos_detail_3, conj: x.conjugated_form, basic: x.basic_form, known: x.word_type === "KNOWN" };
      });
    };
    resolve(createChecker(compilePack(pack, lists), { tokenize }));
  }));
}
`;
}

async function bundleSize() {
  const pack = await readDefaultPack();
  const lists = await readLists(pack);
  const result = await build({
    stdin: {
      contents: bundleEntry(pack, lists),
      resolveDir: ROOT,
      loader: "ts",
      sourcefile: "checker-browser-entry.ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        // kuromoji's loader only uses path.join; the browser build gets a one-line stand-in.
        name: "path-shim",
        setup(b) {
          b.onResolve({ filter: /^path$/ }, () => ({ path: "path", namespace: "shim" }));
          b.onLoad({ filter: /.*/, namespace: "shim" }, () => ({
            contents: "module.exports = { join: (...p) => p.join('/').replace(/\\/+/g, '/') };",
            loader: "js",
          }));
        },
      },
    ],
  });
  const js = result.outputFiles[0]?.contents ?? new Uint8Array();
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile?.outputs ?? {})) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const name =
        /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ??
        (path.startsWith("src/") ? "snsgov (code, pack, lists)" : path);
      byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  const parts = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 7);
  const dictDir = join(dirname(createRequire(import.meta.url).resolve("kuromoji/package.json")), "dict");
  let dictBytes = 0;
  for (const f of await readdir(dictDir)) dictBytes += statSync(join(dictDir, f)).size;
  return { jsBytes: js.byteLength, jsGzipBytes: gzipSync(js).byteLength, dictBytes, parts };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  process.stdout.write(
    `snsgov checker benchmark — Node ${process.versions.node}, ${cpus().length} CPUs, ${REPEAT} runs per set\n` +
      "posts/s = wall clock; CPU = posts per second of main-thread CPU time (what one core spends)\n\n",
  );
  const c = await makeChecker();
  const t = await makeTextlint();
  const dense = await benchSet("dense (corpora with variations)", densePosts(DENSE_POSTS), c, t, false);
  const realistic = await benchSet(
    "realistic (generated announcements, 15% breaking a rule)",
    generate(POSTS),
    c,
    t,
    true,
  );

  const memory = memoryFigures();
  process.stdout.write(formatMemory(memory));

  const cold = coldStart();
  process.stdout.write(
    [
      "cold start (fresh process, median of 5):",
      `  loadChecker() to first result  ${cold.loadToFirstMs.toFixed(0)} ms wall, ${cold.loadToFirstCpuMs.toFixed(0)} ms main-thread CPU`,
      `  import of the checker modules  ${cold.importMs.toFixed(0)} ms (TypeScript through tsx)`,
      `  process start to first result  ${cold.processToFirstMs.toFixed(0)} ms`,
      `  memory after first result      rss ${mb(cold.rss)}, heap used ${mb(cold.heapUsed)}, external ${mb(cold.external)}`,
      "",
    ].join("\n"),
  );

  const b = await bundleSize();
  process.stdout.write(
    [
      "browser bundle (esbuild, minified ESM; engine, rules, kuromoji's browser loader, validated pack, word lists):",
      `  without dictionaries  ${kb(b.jsBytes)} (${kb(b.jsGzipBytes)} gzip): ${b.parts.map(([n, v]) => `${n} ${kb(v)}`).join(", ")}`,
      `  kuromoji dictionaries ${mb(b.dictBytes)} (already gzip, fetched by the browser)`,
      `  with dictionaries     ${mb(b.jsGzipBytes + b.dictBytes)} to download`,
      "",
    ].join("\n"),
  );
  process.stdout.write(
    `${JSON.stringify({ load: loadavg()[0], textlintFirstMs: t.firstMs, dense, realistic, memory, cold, bundle: { jsBytes: b.jsBytes, jsGzipBytes: b.jsGzipBytes, dictBytes: b.dictBytes } }, (k, v) => (k === "lat" ? undefined : v))}\n`,
  );
}

await main();
