// Serves dist/ on 127.0.0.1 and opens Debian's Chromium on it, with every request elsewhere refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

// For a closed network: without these Chromium keeps trying to reach Google's services.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/** Resolves to { origin, context, close }: a browser context (fresh profile) on the served site. */
export async function openSite(dist) {
  const server = await serve(dist);
  const profile = mkdtempSync(join(tmpdir(), 'diptych-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    // Pages record their requests themselves; this only makes sure none reaches another host.
    await context.route('**/*', (route) =>
      route.request().url().startsWith(server.origin + '/') ? route.continue() : route.abort('blockedbyclient'),
    );
  } catch (err) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    origin: server.origin,
    context,
    close: async () => {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
