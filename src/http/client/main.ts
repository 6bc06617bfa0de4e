/**
 * The staff pages' one browser script, bundled by esbuild into src/http/assets/app.js
 * (`npm run build:client`). Pages work without it; it adds the post editor's live check.
 */
import { setupPostForm } from "./post-editor.ts";

for (const form of document.querySelectorAll<HTMLFormElement>("form[data-post-form]")) setupPostForm(form);
