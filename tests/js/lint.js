// bpmnlint (recommended) over BPMN files; prints {file: [{rule, id, message, category}]} as JSON.
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
    result[path.basename(file)] = await lint(file);
  }
  process.stdout.write(JSON.stringify(result, null, 1));
})().catch(err => { console.error(err); process.exit(1); });
