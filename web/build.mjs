// Builds the voter web app: bundles src/app/main.js (with @noble/curves and @noble/hashes)
// into OUT/app.js with esbuild and copies static/ (index.html, app.css) to OUT.
// Usage: node build.mjs OUT_DIR
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, 'dist'));
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src/app/main.js')],
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
cpSync(join(here, 'static'), out, { recursive: true });
console.log(`haal web app built in ${out}`);
