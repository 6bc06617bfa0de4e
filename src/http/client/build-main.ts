/**
 * `npm run build:client`: writes src/http/assets/app.js from src/http/client.
 */
import { bundlePath, writeClientBundle } from "./build.ts";

const bytes = await writeClientBundle();
process.stdout.write(`client bundle: ${bundlePath} (${bytes} bytes)\n`);
