// A tiny static server for dist/ on 127.0.0.1, so the browser loads the site the way a host would serve it.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The file a URL path maps to inside root, or null if it would leave root. */
function fileFor(root, urlPath) {
  const decoded = decodeURIComponent(urlPath.split('?')[0]);
  const path = normalize(join(root, decoded));
  if (path !== root && !path.startsWith(root + sep)) return null;
  return decoded.endsWith('/') ? join(path, 'index.html') : path;
}

async function readable(path) {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return readable(join(path, 'index.html'));
    return path;
  } catch {
    return null;
  }
}

/** Starts serving root; resolves to { origin, close }. */
export async function serve(root) {
  root = normalize(root);
  const server = createServer(async (req, res) => {
    const path = fileFor(root, req.url);
    const found = path && (await readable(path));
    if (!found) {
      const notFound = await readable(join(root, '404.html'));
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(notFound ? await readFile(notFound) : 'not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(found)] ?? 'application/octet-stream' });
    res.end(await readFile(found));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
