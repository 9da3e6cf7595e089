// Checks every page of the built site: valid HTML, no axe (WCAG 2.1 AA) violations in both languages at
// phone and desktop widths, and no request to anything but the site itself.
// Run after `cargo run --release -- build`: `npm test` (DIST=… to check another folder, ONLY=… for some pages).
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HtmlValidate } from 'html-validate';
import htmlValidateConfig from './.htmlvalidate.mjs';
import { openSite } from './browser.mjs';
import { DIST, pages } from './site.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// WCAG 2.0 and 2.1, levels A and AA; best-practice adds landmarks, heading order and one <h1>.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const WIDTHS = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 900 },
];

// ONLY=regex checks just the pages whose URL path matches, while working on a template.
// Totals over the run, printed at the end, so a green run still says what it measured.
const totals = { files: 0, loads: 0, htmlErrors: 0, axeViolations: 0, externalRequests: 0, requests: 0 };
after(() =>
  console.log(
    `measured: ${totals.files} HTML files, ${totals.htmlErrors} html-validate errors; ` +
      `${totals.loads} page loads, ${totals.axeViolations} axe violations, ` +
      `${totals.requests} requests of which ${totals.externalRequests} left the site`,
  ),
);

const site = pages().filter(({ path }) => !process.env.ONLY || new RegExp(process.env.ONLY).test(path));
if (site.length === 0) throw new Error(`no HTML files in ${DIST}: build the site first`);

describe('html-validate', () => {
  const validator = new HtmlValidate(htmlValidateConfig);
  for (const { file, path } of site) {
    test(path, async () => {
      const report = await validator.validateFile(file);
      const errors = report.results.flatMap((r) => r.messages.filter((m) => m.severity === 2));
      totals.files += 1;
      totals.htmlErrors += errors.length;
      if (errors.length) {
        const lines = errors.map((m) => `  ${file}:${m.line}:${m.column} ${m.ruleId}: ${m.message}${m.selector ? `\n    at ${m.selector}` : ''}`);
        throw new Error(`${path}: ${errors.length} html-validate error(s)\n${lines.join('\n')}`);
      }
    });
  }
});

describe('in Chromium', () => {
  let browser;
  before(async () => {
    browser = await openSite(DIST);
  });
  after(async () => {
    await browser?.close();
  });

  for (const { path } of site) {
    for (const size of WIDTHS) {
      test(`${path} at ${size.width}px`, async () => {
        const problems = await checkPage(browser.context, browser.origin, path, size);
        if (problems.length) throw new Error(`${path} at ${size.width}px (${size.name}):\n${problems.join('\n')}`);
      });
    }
  }
});

/** Loads one page and returns what is wrong with it, one message per problem. */
async function checkPage(context, origin, path, size) {
  const page = await context.newPage();
  const problems = [];
  page.on('request', (req) => {
    const url = req.url();
    totals.requests += 1;
    if (!url.startsWith(origin + '/') && !url.startsWith('data:')) {
      totals.externalRequests += 1;
      problems.push(`  external request: ${req.resourceType()} ${url}`);
    }
  });
  page.on('response', (res) => {
    const url = res.url();
    // The 404 pages are served with their status on purpose; anything else failing is a broken link in the theme.
    if (res.status() >= 400 && url.startsWith(origin + '/') && !url.endsWith('/404.html')) {
      problems.push(`  broken request: ${res.status()} ${url}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`  script error: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`  console error: ${msg.text()}`));
  try {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(origin + path, { waitUntil: 'networkidle' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) problems.push(`  the page is ${overflow}px wider than the ${size.width}px window (horizontal scrolling)`);
    const wrapping = await page.evaluate(() =>
      [...document.querySelectorAll('a[href^="tel:"]')]
        .filter((a) => getComputedStyle(a).whiteSpace !== 'nowrap')
        .map((a) => a.outerHTML),
    );
    for (const html of wrapping) problems.push(`  a phone number may break across lines (white-space is not nowrap): ${html}`);
    await page.evaluate(AXE_SOURCE);
    const results = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    totals.loads += 1;
    totals.axeViolations += results.violations.length;
    for (const v of results.violations) problems.push(describeViolation(v));
  } finally {
    await page.close();
  }
  return problems;
}

function describeViolation(v) {
  const nodes = v.nodes.slice(0, 5).map((n) => {
    const why = (n.failureSummary ?? '').split('\n').map((l) => `        ${l.trim()}`).join('\n');
    return `    at ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n${why}`;
  });
  const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : '';
  return `  axe ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}${more}`;
}
