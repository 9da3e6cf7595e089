// The pages of a built site: every HTML file under dist/, with the URL it is served at.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/ of the repository, or $DIST. */
export const DIST = process.env.DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [],
  );
}

/** [{ file, path }] sorted by path; `path` is the URL path (`/en/renewal/`, `/en/404.html`). */
export function pages(dist = DIST) {
  return walk(dist)
    .map((file) => {
      const rel = relative(dist, file).split(sep).join('/');
      const path = '/' + (rel === 'index.html' ? '' : rel.endsWith('/index.html') || rel === 'index.html' ? rel.slice(0, -'index.html'.length) : rel);
      return { file, path };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
