/**
 * The analyser the checker uses: kuromoji's IPADIC dictionary (inside the kuromoji npm package)
 * read into compact typed arrays (ipadic.ts) and searched with the same lattice as kuromoji
 * (lattice.ts). Loaded once per process and shared by every checker.
 */
import { loadIpadic } from "./ipadic.ts";
import { createLatticeTokenizer } from "./lattice.ts";
import type { Morphology } from "./types.ts";

let loading: Promise<Morphology> | null = null;

/** The shared analyser; the dictionary (~18 MB compressed, ~24 MB in memory) is read on the first call. */
export function loadMorphology(): Promise<Morphology> {
  if (!loading) {
    loading = loadIpadic()
      .then(createLatticeTokenizer)
      .catch((error: unknown) => {
        loading = null;
        throw new Error("could not load the IPADIC dictionary from the kuromoji package", { cause: error });
      });
  }
  return loading;
}
