/**
 * Loads kuromoji (IPADIC, shipped inside the npm package) once per process and adapts its
 * tokens to the checker's `Token` shape with UTF-16 offsets.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import kuromoji from "kuromoji";
import type { Morphology, Token } from "./types.ts";

let loading: Promise<Morphology> | null = null;

/** The shared kuromoji analyser; the dictionary (~18 MB compressed) is read on the first call only. */
export function loadKuromoji(): Promise<Morphology> {
  if (!loading) {
    loading = build().catch((error: unknown) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

function build(): Promise<Morphology> {
  const require = createRequire(import.meta.url);
  const dicPath = join(dirname(require.resolve("kuromoji/package.json")), "dict");
  return new Promise((resolve, reject) => {
    kuromoji.builder({ dicPath }).build((error, tokenizer) => {
      if (error) {
        reject(new Error(`could not load the kuromoji dictionary from ${dicPath}`, { cause: error }));
        return;
      }
      resolve({
        tokenize(text: string): Token[] {
          const out: Token[] = [];
          let cursor = 0;
          for (const t of tokenizer.tokenize(text)) {
            const surface = t.surface_form;
            // kuromoji's tokens cover the input contiguously; find each one from the cursor to be safe.
            const at = text.startsWith(surface, cursor) ? cursor : text.indexOf(surface, cursor);
            const start = at < 0 ? cursor : at;
            const end = start + surface.length;
            cursor = end;
            out.push({
              start,
              end,
              surface,
              pos: t.pos,
              pos1: t.pos_detail_1,
              pos2: t.pos_detail_2,
              pos3: t.pos_detail_3,
              conj: t.conjugated_form,
              basic: t.basic_form,
              known: t.word_type === "KNOWN",
            });
          }
          return out;
        },
      });
    });
  });
}
