/**
 * Bundles the staff pages' browser script (src/http/client/main.ts and what it imports) with
 * esbuild into one minified ES module, src/http/assets/app.js. The bundle is committed, so a
 * fresh clone serves it without a build step; `npm run build:client` rewrites it after a change
 * here, and a test fails while the committed file differs from a fresh build.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Where the bundle is served from (`/assets/app.js`). */
export const bundlePath = fileURLToPath(new URL("../assets/app.js", import.meta.url));

const banner = "// Built from src/http/client by `npm run build:client` (esbuild). Do not edit by hand.";

/** The bundle's text, built in memory. */
export async function clientBundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./main.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    banner: { js: banner },
    write: false,
    logLevel: "silent",
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild produced no output");
  return file.text;
}

/** Builds and writes the bundle; returns its size in bytes. */
export async function writeClientBundle(): Promise<number> {
  const text = await clientBundle();
  await writeFile(bundlePath, text, "utf8");
  return Buffer.byteLength(text);
}
