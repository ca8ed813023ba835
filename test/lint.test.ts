import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { lintCatalog, type LintFinding } from '../src/review/lint.js';
import { renderLintText } from '../src/review/render.js';
import type { ReviewCatalog, ReviewTool } from '../src/review/types.js';
import { repoRoot } from './helpers.js';
import { reviewCatalog as catalog, reviewTool as tool } from './review-fixtures.js';

function findings(tools: ReviewTool[]): LintFinding[] {
  return lintCatalog({ catalog: catalog(tools) }).findings;
}

describe('lintCatalog', () => {
  it('finds nothing wrong with a good tool', () => {
    expect(findings([tool()])).toStrictEqual([]);
  });

  it('checks descriptions: missing, too short, too long', () => {
    expect(findings([tool({ name: 'a', description: ' ' }), tool({ name: 'b', description: 'Get a pet' }), tool({ name: 'c', description: `Returns ${'x'.repeat(993)}` })])).toStrictEqual([
      { severity: 'error', rule: 'description-missing', tool: 'a', message: 'no description: the model cannot tell when to use this tool. Set `description:` in toolwright.yaml.' },
      {
        severity: 'warning',
        rule: 'description-short',
        tool: 'b',
        message: 'the description ("Get a pet") is 9 characters long: say what the tool does, when to use it and what it returns.',
      },
      {
        severity: 'warning',
        rule: 'description-long',
        tool: 'c',
        message:
          'the description is 1,001 characters long, over 1,000: it costs context on every turn. Keep what helps choose the tool; move details into argument descriptions.',
      },
    ]);
  });

  it('checks names against client limits and host prefixes', () => {
    const long = `list_${'a'.repeat(49)}`;
    expect(findings([tool({ name: 'get.pet' }), tool({ name: 'x'.repeat(65) }), tool({ name: long })])).toStrictEqual([
      {
        severity: 'error',
        rule: 'name-invalid',
        tool: 'get.pet',
        message: 'the name contains ".", which clients refuse (only A-Z a-z 0-9 _ - are allowed). Set `name:` for this operation in toolwright.yaml.',
      },
      {
        severity: 'error',
        rule: 'name-invalid',
        tool: 'x'.repeat(65),
        message: 'the name is 65 characters long, over the 64 clients accept. Set `name:` for this operation in toolwright.yaml.',
      },
      {
        severity: 'warning',
        rule: 'name-long',
        tool: long,
        message:
          'the name is 54 characters long; with the client prefix (11 characters, such as `mcp__pets__`) it is 65, over the 64 clients accept. Choose a name of at most 53 characters, or a shorter server name.',
      },
    ]);
  });

  it('measures names against the configured client prefix', () => {
    const name = `list_${'a'.repeat(45)}`;
    expect(lintCatalog({ catalog: catalog([tool({ name })]) }).findings).toStrictEqual([]);
    expect(lintCatalog({ catalog: catalog([tool({ name })]), budgets: { clientPrefixLength: 20 } }).findings.map((finding) => finding.rule)).toStrictEqual(['name-long']);
  });

  it('finds HTML and Markdown in descriptions, and descriptions that do not say what the tool returns', () => {
    expect(
      findings([
        tool({ name: 'a', description: '<p>Returns the pet with the given id.</p>' }),
        tool({ name: 'b', description: 'Returns the pet; see [the guide](https://example.com/guide).' }),
        tool({ name: 'c', description: 'Fetches one pet by its id from the shop.' }),
        tool({ name: 'd', description: 'Fetches one pet by its id. Returns an object.' }),
        tool({ name: 'e', description: 'Fetches one pet by its id. Returns an object: id, name.' }),
      ]).map(({ rule, tool: name }) => `${name} ${rule}`),
    ).toStrictEqual(['a description-markup', 'b description-markup', 'c description-no-result', 'd description-no-result']);
  });

  it('warns about a costly tool, and fails the per-tool budget', () => {
    const big = tool({ name: 'big', outputSchema: { type: 'object', properties: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`field_${i}`, { type: 'string' }])) } });
    const report = lintCatalog({ catalog: catalog([big]) });
    const tokens = report.tools[0]!.tokens;
    expect(tokens).toBeGreaterThan(1_000);
    expect(report.findings).toStrictEqual([
      {
        severity: 'warning',
        rule: 'tool-tokens',
        tool: 'big',
        message: `the tool costs ${tokens.toLocaleString('en-US')} tokens on every turn, over 1,000. Shorten its description, hide or pin arguments, or trim its output schema in toolwright.yaml.`,
      },
    ]);
    const budgeted = lintCatalog({ catalog: catalog([big]), budgets: { maxToolTokens: 500 } });
    expect(budgeted.findings.map(({ severity, rule }) => `${severity} ${rule}`)).toStrictEqual(['error tool-tokens']);
    expect(lintCatalog({ catalog: catalog([big]), budgets: { maxToolTokens: tokens } }).findings).toStrictEqual([]);
  });

  it('finds duplicate and near-duplicate names, but not different verbs', () => {
    expect(findings([tool({ name: 'get_pet' }), tool({ name: 'getPet' }), tool({ name: 'get_pets' }), tool({ name: 'set_pet' }), tool({ name: 'set_pet' })])).toStrictEqual([
      {
        severity: 'error',
        rule: 'name-duplicate',
        tool: 'set_pet',
        message: '2 tools have this name: clients see only one. Give each its own name in toolwright.yaml.',
      },
      {
        severity: 'warning',
        rule: 'names-similar',
        tool: 'getPet',
        similar: 'get_pet',
        message: '`getPet` and `get_pet` differ only in case or separators: a model may call one for the other. Rename one so that the names say how the tools differ.',
      },
      {
        severity: 'warning',
        rule: 'names-similar',
        tool: 'get_pet',
        similar: 'get_pets',
        message: '`get_pet` and `get_pets` differ by one character: a model may call one for the other. Rename one so that the names say how the tools differ.',
      },
    ]);
  });

  it('lists arguments without descriptions, following $refs', () => {
    const inputSchema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { $ref: '#/$defs/B' }, c: { $ref: '#/$defs/C' }, d: { type: 'string', description: 'D.' } },
      $defs: { B: { type: 'string', description: 'B.' }, C: { type: 'string' } },
    };
    expect(findings([tool({ inputSchema })])).toStrictEqual([
      {
        severity: 'warning',
        rule: 'arguments-undescribed',
        tool: 'get_pet',
        message: 'arguments without a description: `a`, `c`. Describe them in the spec or with `arguments: { <name>: { description } }` in toolwright.yaml.',
        arguments: ['a', 'c'],
      },
    ]);
  });

  it('finds destructive tools without confirmation and input schemas clients refuse', () => {
    const destructive = tool({ name: 'delete_pet', risk: { class: 'destructive', reasons: ['DELETE method'] } });
    const confirmed = tool({ name: 'delete_owner', risk: { class: 'destructive', reasons: ['DELETE method'] }, confirmation: { argument: 'confirm' } });
    const hinted = tool({ name: 'wipe_pets', annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true } });
    const union = tool({ name: 'find_pet', inputSchema: { type: 'object', anyOf: [{ required: ['a'] }, { required: ['b'] }] } });
    expect(findings([destructive, confirmed, hinted, union])).toStrictEqual([
      {
        severity: 'error',
        rule: 'input-schema-root',
        tool: 'find_pet',
        message: 'the input schema must be `type: "object"` without anyOf, oneOf or allOf at its root, or clients refuse the tool list.',
      },
      {
        severity: 'warning',
        rule: 'destructive-unconfirmed',
        tool: 'delete_pet',
        message: 'a destructive tool without confirmation: the model can run it without asking the user. Remove `confirm: false` for this operation in toolwright.yaml.',
      },
      {
        severity: 'warning',
        rule: 'destructive-unconfirmed',
        tool: 'wipe_pets',
        message: 'a destructive tool without confirmation: the model can run it without asking the user. Remove `confirm: false` for this operation in toolwright.yaml.',
      },
    ]);
  });

  it('warns above 20 tools and fails budgets of tools and tokens', () => {
    const tools = Array.from({ length: 21 }, (_, i) => tool({ name: `tool_${String.fromCharCode(97 + i)}${String.fromCharCode(97 + i)}` }));
    const report = lintCatalog({ catalog: catalog(tools), budgets: { maxTools: 20, maxTokens: 100 } });
    expect(report.findings).toStrictEqual([
      { severity: 'error', rule: 'tool-budget', message: '21 tools, over the budget of 20 (--max-tools). Leave tools out in toolwright.yaml.' },
      {
        severity: 'error',
        rule: 'token-budget',
        message: `the tool definitions cost ${report.summary.tokens.toLocaleString('en-US')} tokens, over the budget of 100 (--max-tokens). Leave tools out, or shorten descriptions and hide arguments in toolwright.yaml.`,
      },
      {
        severity: 'warning',
        rule: 'too-many-tools',
        message: '21 tools: agents choose best among fewer than about 20. Keep the tools that matter for the task and leave the rest out.',
      },
    ]);
    expect(report.summary).toStrictEqual({ tools: 21, tokens: report.summary.tokens, errors: 2, warnings: 1 });
    expect(report.budgets).toStrictEqual({ maxTokens: 100, maxTools: 20, maxToolTokens: null });
    expect(lintCatalog({ catalog: catalog(tools), budgets: { maxTools: 21, maxTokens: report.summary.tokens } }).summary.errors).toBe(0);
  });
});

describe('lint token counts', () => {
  it('match gpt-tokenizer (o200k_base) on the petstore example catalog', async () => {
    const petstore = JSON.parse(await readFile(path.join(repoRoot, 'examples/petstore/server/tools.json'), 'utf8')) as ReviewCatalog;
    const report = lintCatalog({ catalog: petstore });
    const own = petstore.tools.map((t) => ({
      name: t.name,
      tokens: countTokens(
        JSON.stringify({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}), annotations: t.annotations }),
      ),
    }));
    expect(report.tools.map(({ name, tokens }) => ({ name, tokens }))).toStrictEqual([...own].sort((a, b) => b.tokens - a.tokens || (a.name < b.name ? -1 : 1)));
    expect(report.summary.tokens).toBe(own.reduce((sum, t) => sum + t.tokens, 0));
    expect(report.summary.tokens).toBeGreaterThan(300);
  });

  it('are the o200k_base counts for a fixed tool', () => {
    const report = lintCatalog({ catalog: catalog([tool()]) });
    expect(report.tools).toStrictEqual([{ name: 'get_pet', tokens: 94, riskClass: 'read' }]);
  });
});

describe('renderLintText', () => {
  it('shows the costliest tools, then findings by severity, then the totals', () => {
    const report = lintCatalog({ catalog: catalog([tool(), tool({ name: 'get.owner', description: 'Get an owner' })]), budgets: { maxTokens: 1_000 } });
    const text = renderLintText(report);
    expect(text.split('\n').slice(0, 5)).toStrictEqual([
      `Pets 1.0.0: 2 tools, ${report.summary.tokens} tokens of tool definitions.`,
      '',
      'Tools by cost:',
      '  TOOL       TOKENS  SHARE  CLASS',
      `  get_pet        ${report.tools[0]!.tokens}  ${((report.tools[0]!.tokens / report.summary.tokens) * 100).toFixed(1)}%  read`,
    ]);
    expect(text).toContain('\nErrors (1):\n  get.owner: the name contains ".", which clients refuse');
    expect(text).toContain('\nWarnings (1):\n  get.owner: the description ("Get an owner") is 12 characters long');
    expect(text.endsWith(`1 error, 1 warning. Budget: ${report.summary.tokens} of 1,000 tokens.\n`)).toBe(true);
  });
});
