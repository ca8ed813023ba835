// Writes docs/descriptions.md: ten operations per API (GitHub, Stripe, Cloudflare, Kubernetes), each with the
// text its spec gives (what a client received before descriptions were written for a model) and the name,
// title and description toolwright proposes now. usage: npm run build && node bench/descriptions.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { selectTools } from '../dist/src/curate/select.js';
import { loadSpec } from '../dist/src/load/load-spec.js';
import { buildModel } from '../dist/src/model/build-model.js';
import { corpusDir, fetchNpmSpecs, githubSpec, repoRoot } from './corpus.mjs';

const perApi = 10;
const apis = [
  { label: 'GitHub', file: fetchNpmSpecs([githubSpec])?.[0] },
  { label: 'Stripe', file: path.join(corpusDir, 'github', 'gh-stripe__spec3-2023-09.yaml') },
  { label: 'Cloudflare', file: path.join(corpusDir, 'github', 'gh-cloudflare__openapi-2024-08.json') },
  { label: 'Kubernetes', file: path.join(corpusDir, 'github', 'gh-kubernetes__swagger.json') },
];

/** The spec's own text for an operation, as clients received it before: summary, then description. */
function specText(operation) {
  const parts = [operation.summary, operation.description].filter(Boolean);
  return parts.join('\n\n').trim() || `${operation.method} ${operation.path}`;
}

const fence = (text) => `\`\`\`text\n${text.replace(/```/g, "'''")}\n\`\`\``;

const lines = [
  '# Descriptions for a model: before and after',
  '',
  'Ten operations per API, spread evenly over the spec (operations with some text of their own). **Before** is the',
  "spec's summary and description, which is what clients received; **after** is the name, title and description",
  'toolwright proposes by default (plain text, boilerplate removed, deprecation as a flag, what the tool returns, at',
  'most 300 characters). Regenerate with `npm run build && node bench/descriptions.mjs`.',
];
for (const { label, file } of apis) {
  if (!file) continue;
  const { model } = buildModel(await loadSpec(file));
  const { decisions } = selectTools({ model });
  const described = decisions.operations.filter((decision) => decision.operation.description);
  const step = Math.max(1, Math.floor(described.length / perApi));
  const sample = described.filter((_, index) => index % step === Math.floor(step / 2)).slice(0, perApi);
  lines.push('', `## ${label} (server name \`${decisions.server.name}\`, env prefix \`${decisions.server.envPrefix}\`)`);
  for (const decision of sample) {
    const { operation } = decision;
    lines.push(
      '',
      `### \`${decision.name}\` — ${operation.method} ${operation.path}`,
      '',
      `Before (operationId \`${operation.operationId ?? '-'}\`, ${specText(operation).length} characters):`,
      '',
      fence(specText(operation)),
      '',
      `After (title "${decision.title}"${decision.proposed.deprecated ? ', deprecated' : ''}, ${decision.description.length} characters):`,
      '',
      fence(decision.description),
    );
  }
}
writeFileSync(path.join(repoRoot, 'docs', 'descriptions.md'), `${lines.join('\n')}\n`);
