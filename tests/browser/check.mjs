// The lesson pages in a real browser (make browser; make test runs it).
//
//   node tests/browser/check.mjs --chromium /usr/bin/chromium --build build
//
// Runs every lesson (build/lessonN, from the repository's root, as `make lessonN`
// does), keeps the section headings it printed, then opens out/lessonN/index.html
// and out/index.html in headless Chromium and checks, for each page:
//   - it loads, and the console shows no error (console.error, an uncaught
//     exception, a resource that failed to load);
//   - every image loaded (complete, with a width) and its file exists;
//   - every link's target exists: a file for a relative link, an element for
//     "#id"; no link or resource leaves the machine (the pages are offline);
//   - no <script>: the pages need no JavaScript;
//   - a lesson page's <h2> headings are the lesson's sections, in order;
//     the front page lists the five lessons.
// A screenshot of the whole page at a laptop and at a phone width goes to
// out/screenshots/NAME-laptop.png and NAME-phone.png.
//
// Chromium is driven through the DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages ending in a NUL byte on fds 3 and
// 4), with nothing but Node's standard library. Exit status 0 when every page
// passes, 1 otherwise, with one line per page.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const chromium = arg('--chromium', '/usr/bin/chromium');
const build = arg('--build', 'build');
const out = path.resolve(arg('--out', 'out'));
const shots = path.join(out, 'screenshots');
const widths = [{ name: 'laptop', width: 1280, height: 800, mobile: false },
                { name: 'phone', width: 390, height: 844, mobile: true }];
const maxHeight = 16000;   // a screenshot taller than this is cut (Chromium's limit is near 16384)

// ---------------------------------------------------------------------------
// The lessons' own headings: the "== title ===" lines of what they print.

function lessonHeadings(n) {
  const stdout = execFileSync(path.join(build, `lesson${n}`), [], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return stdout.split('\n').filter(l => l.startsWith('== ')).map(l => l.slice(3).replace(/ =*$/, '').trim());
}

// ---------------------------------------------------------------------------
// A DevTools-protocol client on Chromium's pipe.

function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-browser-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync',
                 '--hide-scrollbars', '--force-color-profile=srgb', `--user-data-dir=${profile}`,
                 '--remote-debugging-pipe', 'about:blank'];
  const proc = spawn(chromium, flags, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', d => { stderr += d; });
  const pending = new Map(), listeners = [];
  let next = 1, buffer = '';
  proc.stdio[4].on('data', chunk => {
    buffer += chunk.toString('utf8');
    let end;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (msg.id && pending.has(msg.id)) {
        const { resolve, reject, method } = pending.get(msg.id);
        pending.delete(msg.id);
        msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result);
      } else if (msg.method) {
        for (const l of listeners) l(msg);
      }
    }
  });
  const send = (method, params = {}, sessionId = undefined) => new Promise((resolve, reject) => {
    const id = next++;
    const timer = setTimeout(() => reject(new Error(`${method}: no answer in 30 s`)), 30000);
    pending.set(id, { resolve: r => { clearTimeout(timer); resolve(r); },
                      reject: e => { clearTimeout(timer); reject(e); }, method });
    proc.stdio[3].write(JSON.stringify({ id, method, params, sessionId }) + '\0');
  });
  const exited = new Promise(resolve => proc.on('exit', resolve));
  const close = async () => {   // the profile is removed once Chromium has stopped writing to it
    proc.kill();
    await exited;
    // Chromium's helper processes may still write there for a moment: retry, and never fail the check on it
    for (let i = 0; i < 20; ++i) {
      try { fs.rmSync(profile, { recursive: true, force: true }); return; }
      catch { await new Promise(r => setTimeout(r, 100)); }
    }
  };
  proc.on('exit', code => {
    for (const { reject, method } of pending.values())
      reject(new Error(`${method}: chromium exited (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
  });
  return { send, on: l => listeners.push(l), close };
}

// ---------------------------------------------------------------------------
// One page: load it at each width, collect what the checks need, screenshot it.

const inPage = `(() => {
  const abs = u => new URL(u, location.href).href;
  return {
    h2: [...document.querySelectorAll('h2')].filter(h => h.id !== 'figures').map(h => h.textContent.trim()),
    images: [...document.images].map(i => ({ src: i.src, ok: i.complete && i.naturalWidth > 0 })),
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    scripts: document.scripts.length,
    resources: [...document.querySelectorAll('link[href],source[src],iframe[src],object[data]')]
                 .map(e => abs(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('data'))),
  };
})()`;

async function visit(browser, session, file, events) {
  const facts = {};
  for (const w of widths) {
    await browser.send('Emulation.setDeviceMetricsOverride',
                       { width: w.width, height: w.height, deviceScaleFactor: 1, mobile: w.mobile }, session);
    const loaded = new Promise(resolve => events.once('Page.loadEventFired', resolve));
    const nav = await browser.send('Page.navigate', { url: pathToFileURL(file).href }, session);
    if (nav.errorText) throw new Error(`cannot open ${file}: ${nav.errorText}`);
    await loaded;
    const r = await browser.send('Runtime.evaluate', { expression: inPage, returnByValue: true }, session);
    if (w.name === 'laptop') Object.assign(facts, r.result.value);
    const m = await browser.send('Page.getLayoutMetrics', {}, session);
    const height = Math.min(Math.ceil(m.cssContentSize.height), maxHeight);
    await browser.send('Emulation.setDeviceMetricsOverride',
                       { width: w.width, height, deviceScaleFactor: 1, mobile: w.mobile }, session);
    const shot = await browser.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, session);
    const name = path.basename(path.dirname(file)) === path.basename(out) ? 'index' : path.basename(path.dirname(file));
    const png = path.join(shots, `${name}-${w.name}.png`);
    fs.writeFileSync(png, Buffer.from(shot.data, 'base64'));
    facts[`shot_${w.name}`] = path.relative(process.cwd(), png) + (m.cssContentSize.height > maxHeight ? ' (cut)' : '');
  }
  return facts;
}

// What is wrong with a page, as short phrases (empty: nothing).
function problems(file, facts, expected, errors) {
  const bad = [];
  for (const e of errors) bad.push(`console: ${e}`);
  if (facts.scripts) bad.push(`${facts.scripts} <script> element(s)`);
  for (const img of facts.images) {
    if (!img.src.startsWith('file:')) bad.push(`image not on this machine: ${img.src}`);
    else if (!img.ok || !fs.existsSync(fileURLToPath(img.src))) bad.push(`image did not load: ${img.src}`);
  }
  for (const r of facts.resources) if (!r.startsWith('file:')) bad.push(`resource not on this machine: ${r}`);
  for (const href of facts.links) {
    if (href.startsWith('#')) {
      if (!facts.ids.includes(href.slice(1))) bad.push(`link to a missing anchor: ${href}`);
      continue;
    }
    const url = new URL(href, pathToFileURL(file));
    if (url.protocol !== 'file:') bad.push(`link leaves the machine: ${href}`);
    else if (!fs.existsSync(fileURLToPath(url))) bad.push(`link to a missing file: ${href}`);
  }
  if (expected === null) {   // the front page: "Lesson 1 — ..." to "Lesson 5 — ..."
    if (facts.h2.length !== 5 || !facts.h2.every((h, i) => h.startsWith(`Lesson ${i + 1} — `)))
      bad.push(`the lessons listed are ${JSON.stringify(facts.h2)}, not lessons 1 to 5`);
  } else if (JSON.stringify(facts.h2) !== JSON.stringify(expected)) {
    bad.push(`headings ${JSON.stringify(facts.h2)} are not the lesson's ${JSON.stringify(expected)}`);
  }
  return bad;
}

// ---------------------------------------------------------------------------

async function main() {
  const pages = [];
  for (let n = 1; n <= 5; ++n) pages.push({ file: path.join(out, `lesson${n}`, 'index.html'), expected: lessonHeadings(n) });
  pages.push({ file: path.join(out, 'index.html'), expected: null });
  fs.mkdirSync(shots, { recursive: true });

  const browser = launch();
  let failed = 0;
  try {
    const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
    const errors = [];
    const waiting = new Map();
    const events = { once: (name, f) => waiting.set(name, f) };
    browser.on(msg => {
      if (msg.sessionId !== sessionId) return;
      const p = msg.params;
      if (msg.method === 'Runtime.consoleAPICalled' && ['error', 'assert'].includes(p.type))
        errors.push(p.args.map(a => a.value ?? a.description).join(' '));
      else if (msg.method === 'Runtime.exceptionThrown') errors.push(p.exceptionDetails.text);
      else if (msg.method === 'Log.entryAdded' && p.entry.level === 'error') errors.push(`${p.entry.text} ${p.entry.url ?? ''}`);
      const f = waiting.get(msg.method);
      if (f) { waiting.delete(msg.method); f(p); }
    });
    for (const domain of ['Page', 'Runtime', 'Log']) await browser.send(`${domain}.enable`, {}, sessionId);

    for (const page of pages) {
      const shown = path.relative(process.cwd(), page.file);
      errors.length = 0;
      let bad;
      let facts = null;
      if (!fs.existsSync(page.file)) bad = ['the page does not exist'];
      else {
        facts = await visit(browser, sessionId, page.file, events);
        bad = problems(page.file, facts, page.expected, errors);
      }
      if (bad.length) {
        ++failed;
        console.log(`browser: ${shown}  FAILED`);
        for (const b of bad) console.log(`    ${b}`);
      } else {
        console.log(`browser: ${shown}  ok: ${facts.h2.length} ${page.expected ? 'sections' : 'lessons'}, ` +
                    `${facts.images.length} images, ${facts.links.length} links, no console error; ` +
                    `${facts.shot_laptop}, ${path.basename(facts.shot_phone)}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(failed ? `browser check: ${failed} of ${pages.length} pages FAILED` :
                       `browser check: ${pages.length} pages ok (${chromium})`);
  process.exit(failed ? 1 : 0);
}

main().catch(e => {
  console.log(`browser check: FAILED: ${e.message}`);
  process.exit(1);
});
