/**
 * Reads guideline packs and the checker's data lists from disk (Node only) and builds checkers.
 * The default pack is `src/guideline/iwaki/checker/` (pack.json + vocabulary.json +
 * constructions.json + facilities.txt).
 */
import { readFile } from "node:fs/promises";
import { compilePack, parseWordList } from "./compile.ts";
import { type Checker, createChecker } from "./engine.ts";
import { loadMorphology } from "./morph/load.ts";
import { type CheckerPack, checkerPackSchema } from "./pack.ts";

const DEFAULT_PACK_DIR = new URL("../guideline/iwaki/checker/", import.meta.url);
const DATA_DIR = new URL("./data/", import.meta.url);

/** Reads and validates the default (Iwaki) pack. */
export async function readDefaultPack(): Promise<CheckerPack> {
  const [settings, vocabulary, constructions, facilities] = await Promise.all([
    readFile(new URL("pack.json", DEFAULT_PACK_DIR), "utf8"),
    readFile(new URL("vocabulary.json", DEFAULT_PACK_DIR), "utf8"),
    readFile(new URL("constructions.json", DEFAULT_PACK_DIR), "utf8"),
    readFile(new URL("facilities.txt", DEFAULT_PACK_DIR), "utf8"),
  ]);
  const raw: unknown = JSON.parse(settings);
  const merged = {
    ...(typeof raw === "object" && raw !== null ? raw : {}),
    vocabulary: JSON.parse(vocabulary),
    constructions: JSON.parse(constructions),
  };
  const pack = checkerPackSchema.parse(merged);
  pack.places.facilities = [...pack.places.facilities, ...parseWordList(facilities)];
  return pack;
}

/** Reads every data list a pack refers to, from `src/checker/data/`. */
export async function readLists(pack: CheckerPack): Promise<Map<string, string>> {
  const names = new Set([...pack.vocabulary.sources.map((s) => s.list), ...pack.links.shortenerLists]);
  const entries = await Promise.all(
    [...names].map(
      async (name): Promise<[string, string]> => [name, await readFile(new URL(name, DATA_DIR), "utf8")],
    ),
  );
  return new Map(entries);
}

let defaultChecker: Promise<Checker> | null = null;
let loadedDefault: Checker | null = null;

/**
 * Loads a checker: the default pack (memoised: the data is read once per process) or the
 * given pack (validated; another guideline version or another city). Also loads the
 * morphological analyser (IPADIC from the kuromoji package) once.
 */
export function loadChecker(options: { pack?: CheckerPack } = {}): Promise<Checker> {
  if (options.pack) return build(checkerPackSchema.parse(options.pack));
  if (!defaultChecker) {
    void loadMorphology().catch(() => {}); // start reading the dictionary while the pack is read
    defaultChecker = readDefaultPack()
      .then(build)
      .then((checker) => {
        loadedDefault = checker;
        return checker;
      })
      .catch((error: unknown) => {
        defaultChecker = null;
        throw error;
      });
  }
  return defaultChecker;
}

async function build(pack: CheckerPack): Promise<Checker> {
  const [lists, morph] = await Promise.all([readLists(pack), loadMorphology()]);
  return createChecker(compilePack(pack, lists), morph);
}

/** The default checker if `loadChecker()` has finished, else null. */
export function defaultCheckerIfLoaded(): Checker | null {
  return loadedDefault;
}
