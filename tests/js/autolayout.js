// Lay BPMN files out with bpmn-auto-layout; write each as OUT_DIR/<name>.auto.bpmn.
// Usage: node autolayout.js OUT_DIR FILE.bpmn...
// Prints {file: {out, ms}} as JSON (ms: the time layoutProcess took).
const fs = require('fs');
const path = require('path');
const { layoutProcess } = require('bpmn-auto-layout');

(async () => {
  const [outDir, ...files] = process.argv.slice(2);
  const result = {};
  for (const file of files) {
    const xml = fs.readFileSync(file, 'utf8');
    const start = process.hrtime.bigint();
    const laidOut = await layoutProcess(xml);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const out = path.join(outDir, path.basename(file).replace(/\.bpmn$/, '.auto.bpmn'));
    fs.writeFileSync(out, laidOut);
    result[path.basename(file)] = { out, ms };
  }
  process.stdout.write(JSON.stringify(result, null, 1));
})().catch(err => { console.error(err); process.exit(1); });
