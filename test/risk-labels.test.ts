import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchNpmSpecs } from '../bench/corpus.mjs';
import { defaultInclusion } from '../src/curate/select.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import { classifyOperation, type Risk } from '../src/model/classify.js';
import type { ApiModel } from '../src/model/types.js';
import { riskLabels, type RiskLabel } from './fixtures/risk-labels.js';
import { corpusDir, hasCorpus } from './helpers.js';

const benignLabels = new Set<RiskLabel>(['read', 'write']);

/**
 * Operations the classifier gets wrong on purpose or by limitation, each explained in docs/risk-classes.md.
 * The test fails when this list and reality drift apart, so that the documentation stays true.
 */
const knownMisses: Record<string, string> = {
  'github/gh-stripe__spec3-2023-09.yaml GET /v1/webhook_endpoints':
    'the schema declares the signing "secret" on every endpoint; only its description says it is returned at creation alone',
  'github/gh-stripe__spec3-2023-09.yaml POST /v1/plans': 'a plan has "amount" and "currency" but only defines a price; nobody is charged',
  'github/gh-cloudflare__openapi-2024-08.json GET /user/tokens': 'lists token metadata; the path word alone cannot tell metadata from token values',
  'github/gh-discord__openapi.json POST /webhooks/{webhook_id}/{webhook_token}':
    'posts a message through an existing webhook; its operationId says "execute" and its path "webhooks"',
};

async function loadModel(source: string): Promise<ApiModel | undefined> {
  if (source.startsWith('npm:')) {
    const file = fetchNpmSpecs([source.slice(4)])?.[0];
    return file ? buildModel(await loadSpec(file)).model : undefined;
  }
  return buildModel(await loadSpec(path.join(corpusDir, source))).model;
}

type Outcome = { spec: string; key: string; label: RiskLabel; why: string; risk: Risk; kept: boolean; confirmed: boolean };

/** Whether the classifier's verdict on one operation matches its label, for the given class or sensitivity. */
function predicted(outcome: Outcome, label: RiskLabel): boolean {
  const { risk } = outcome;
  if (label === 'destructive') return risk.class === 'destructive' && risk.sensitivities.every((kind) => kind === 'irreversible' || kind === 'account-wide');
  if (label === 'read' || label === 'write' || label === 'admin') return risk.class === label && risk.sensitivities.length === 0;
  return (risk.sensitivities as string[]).includes(label);
}

describe.skipIf(!hasCorpus)('risk classes on a labelled set of real operations', () => {
  it('leaves out or confirms sensitive operations and keeps benign ones', async () => {
    const outcomes: Outcome[] = [];
    for (const [spec, labels] of Object.entries(riskLabels)) {
      const model = await loadModel(spec);
      if (!model) continue;
      for (const [key, label, why] of labels) {
        const operation = model.operations.find((candidate) => candidate.key === key);
        expect(operation, `${spec}: ${key}`).toBeDefined();
        const risk = classifyOperation(operation!, model.document);
        outcomes.push({ spec, key, label, why, risk, kept: defaultInclusion(risk, operation!.deprecated).included, confirmed: risk.destructive });
      }
    }
    const apis = new Set(outcomes.map((outcome) => outcome.spec));
    expect(outcomes.length).toBeGreaterThanOrEqual(150);
    expect(apis.size).toBeGreaterThanOrEqual(8);

    const sensitive = outcomes.filter((outcome) => !benignLabels.has(outcome.label));
    const benign = outcomes.filter((outcome) => benignLabels.has(outcome.label));
    const handled = sensitive.filter((outcome) => !outcome.kept || outcome.confirmed);
    const kept = benign.filter((outcome) => outcome.kept);
    const misses = [...sensitive.filter((outcome) => outcome.kept && !outcome.confirmed), ...benign.filter((outcome) => !outcome.kept)];

    const kinds = [...new Set(outcomes.map((outcome) => outcome.label))].sort();
    const rows = kinds.map((kind) => {
      const labelled = outcomes.filter((outcome) => outcome.label === kind);
      const flagged = outcomes.filter((outcome) => predicted(outcome, kind));
      const hits = labelled.filter((outcome) => predicted(outcome, kind));
      const ratio = (a: number, b: number) => (b === 0 ? '-' : `${Math.round((100 * a) / b)}%`);
      return `| ${kind} | ${labelled.length} | ${ratio(hits.length, flagged.length)} | ${ratio(hits.length, labelled.length)} |`;
    });
    const report = [
      `${outcomes.length} operations from ${apis.size} APIs: ${sensitive.length} sensitive, ${benign.length} benign`,
      `sensitive left out or confirmed: ${handled.length}/${sensitive.length}; benign kept: ${kept.length}/${benign.length}`,
      '| label | operations | precision | recall |',
      '|---|---|---|---|',
      ...rows,
      ...outcomes
        .filter((outcome) => !predicted(outcome, outcome.label))
        .map((outcome) => `class differs: ${outcome.spec} ${outcome.key}: labelled ${outcome.label}, got ${outcome.risk.class} [${outcome.risk.sensitivities.join(', ')}] (${outcome.risk.reasons.join('; ')})`),
    ].join('\n');
    if (process.env.RISK_REPORT) console.log(report);

    expect(handled.length / sensitive.length).toBeGreaterThanOrEqual(0.9);
    expect(kept.length / benign.length).toBeGreaterThanOrEqual(0.9);
    expect(Object.fromEntries(misses.map((outcome) => [`${outcome.spec} ${outcome.key}`, knownMisses[`${outcome.spec} ${outcome.key}`] ?? outcome.why]))).toStrictEqual(
      Object.fromEntries(misses.map((outcome) => [`${outcome.spec} ${outcome.key}`, knownMisses[`${outcome.spec} ${outcome.key}`] ?? 'not explained in knownMisses'])),
    );
    for (const miss of misses) expect(knownMisses, `${miss.spec} ${miss.key} is a miss`).toHaveProperty([`${miss.spec} ${miss.key}`]);
    expect(Object.keys(knownMisses).sort()).toStrictEqual(misses.map((outcome) => `${outcome.spec} ${outcome.key}`).sort());
  }, 300_000);
});
