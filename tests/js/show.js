// Open BPMN files in bpmn-js in headless Debian Chromium; screenshot each.
// Usage: node show.js URL_OF_VIEWER OUT_DIR FILE.bpmn...
// Prints {file: {warnings, shapes, width, height, png}} as JSON ({file: {error}} for a file that
// could not be shown). OUT_DIR "-": no screenshots.
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

(async () => {
  const [url, outDir, ...files] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  const result = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors = [];
    page.on('pageerror', err => errors.push(String(err)));
    await page.goto(url);
    for (const file of files) {
      const xml = fs.readFileSync(file, 'utf8');
      let shown;
      try {
        shown = await page.evaluate(x => window.show(x), xml);
      } catch (err) {  // one file bpmn-js cannot open is its own answer, not the run's end
        result[path.basename(file)] = { error: String(err), pageErrors: errors.splice(0) };
        continue;
      }
      if (outDir === '-') {
        result[path.basename(file)] = { ...shown, png: null, pageErrors: errors.splice(0) };
        continue;
      }
      const png = path.join(outDir, path.basename(file).replace(/\.bpmn$/, '.png'));
      // size the page to the diagram's aspect so the picture is readable
      const width = 1600;
      const height = Math.max(400, Math.min(1400, Math.round(width * shown.height / shown.width) + 40));
      await page.setViewportSize({ width, height });
      await page.evaluate(x => window.show(x), xml);
      await page.screenshot({ path: png });
      result[path.basename(file)] = { ...shown, png, pageErrors: errors.splice(0) };
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result, null, 1));
})().catch(err => { console.error(err); process.exit(1); });
