// bpmnlint (recommended) over BPMN files; prints {file: {reports: [{rule, id, message, category}],
// warnings}} as JSON, or {file: {error}} for a file it could not lint.
// Usage: node lint.js FILE.bpmn...
const fs = require('fs');
const path = require('path');
const BpmnModdle = require('bpmn-moddle');
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

async function lint(file) {
  const moddle = new BpmnModdle();
  const { rootElement, warnings } = await moddle.fromXML(fs.readFileSync(file, 'utf8'));
  const linter = new Linter({ config: { extends: 'bpmnlint:recommended' }, resolver: new NodeResolver() });
  const reports = await linter.lint(rootElement);
  const found = [];
  for (const [rule, items] of Object.entries(reports)) {
    for (const item of items) {
      found.push({ rule, id: item.id, message: item.message, category: item.category });
    }
  }
  return { reports: found, warnings: warnings.map(w => w.message) };
}

(async () => {
  const result = {};
  for (const file of process.argv.slice(2)) {
    try {
      result[path.basename(file)] = await lint(file);
    } catch (err) {  // one file that cannot be read is its own answer, not the run's end
      result[path.basename(file)] = { error: String(err && err.stack || err) };
    }
  }
  process.stdout.write(JSON.stringify(result, null, 1));
})().catch(err => { console.error(err); process.exit(1); });
