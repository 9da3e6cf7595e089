// The pages of a built site: every HTML file under dist/, with the URL it is served at.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The diptych binary tests that build a site of their own run: $DIPTYCH, or else the newest of
 * target/{release,debug}/diptych (under $CARGO_TARGET_DIR where set), so a stale one is not the one tested.
 */
export const DIPTYCH =
  process.env.DIPTYCH ??
  ['release', 'debug']
    .map((profile) => join(process.env.CARGO_TARGET_DIR ?? join(REPO, 'target'), profile, 'diptych'))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];

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
