// Full-page screenshots of a few pages at phone and desktop widths, for a person to look at.
// `npm run screenshots -- [OUT_DIR] [PATH…]`; PNGs go to /tmp/diptych-shots by default, never into the repo.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSite } from './browser.mjs';
import { DIST } from './site.mjs';

const args = process.argv.slice(2);
// --print: as the print stylesheet lays it out (A4-ish width), to check what people print.
const print = args.includes('--print');
const [out = '/tmp/diptych-shots', ...given] = args.filter((a) => a !== '--print');
const paths = given.length
  ? given
  : ['/en/', '/zh/', '/en/categories/working-staff/', '/zh/categories/working-staff/', '/en/renewal/', '/zh/renewal/'];
const widths = print ? [794] : [375, 1280];

mkdirSync(out, { recursive: true });
const { origin, context, close } = await openSite(DIST);
try {
  for (const path of paths) {
    for (const width of widths) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: width < 600 ? 800 : 900 });
      if (print) await page.emulateMedia({ media: 'print' });
      await page.goto(origin + path, { waitUntil: 'networkidle' });
      const name = `${path.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'root'}-${print ? 'print' : width}`;
      await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
      console.log(join(out, `${name}.png`));
      // A long page shrinks to nothing in an image viewer: also cut it into screen-sized parts.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const band = width < 600 ? 800 : 900;
      for (let y = 0, part = 1; y < height; y += band, part++) {
        const clip = { x: 0, y, width, height: Math.min(band, height - y) };
        await page.screenshot({ path: join(out, `${name}.part${part}.png`), fullPage: true, clip });
      }
      await page.close();
    }
  }
} finally {
  await close();
}
