import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { dotenvText, identifier, markdownCode, markdownText } from '../src/emit/escape.js';
import { assertTemplateEscaped, precompiledTemplatesModule } from '../src/emit/templates.js';
import { repoRoot } from './helpers.js';

describe('escaping per generated file format', () => {
  it('dotenv: hostile text stays inside its comment', () => {
    for (const text of ['read\nNODE_OPTIONS=--require=/tmp/x.js', 'a\r\nB=1', 'a\rB=1', 'a\u2028B=1\u2029C=2', 'a\u0085B=1', 'a\vB=1\fC=2', '"\nB=1\n"']) {
      const line = dotenvText(text);
      expect(line).not.toMatch(/[\n\r\u2028\u2029\u0085\v\f]/);
      expect(parseEnv(`# X=${line}\nA=1\n`)).toStrictEqual({ A: '1' });
    }
  });

  it('markdown: no live emphasis, code, link or HTML; code spans hold any backticks', () => {
    expect(markdownText('[x](javascript:alert(1)) <!-- *a* `b` | c\nd')).toBe('\\[x\\](javascript:alert(1)) \\<\\!-- \\*a\\* \\`b\\` \\| c d');
    expect(markdownCode('GET /a`b``c|d')).toBe('```GET /a`b``c\\|d```');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
  });

  it('identifiers pass unchanged; anything else stops the generation', () => {
    expect(identifier('PETSTORE_API_KEY')).toBe('PETSTORE_API_KEY');
    expect(() => identifier('A\nB=1')).toThrow(/not an identifier/);
  });

  it('templates may output values only through their format’s helpers', () => {
    expect(() => assertTemplateEscaped('# {{name}}\n', 'project/README.md.hbs')).toThrow(/without escaping/);
    expect(() => assertTemplateEscaped('{{{raw}}}', 'project/README.md.hbs')).toThrow(/without escaping/);
    expect(() => assertTemplateEscaped('{{md title}}', 'project/env.example.hbs')).toThrow(/without escaping/);
    expect(() => assertTemplateEscaped('{{#each items}}| {{md title}} |{{/each}}', 'project/README.md.hbs')).not.toThrow();
    expect(() => assertTemplateEscaped('{{#each items}}{{title}}{{/each}}', 'project/README.md.hbs')).toThrow(/without escaping/);
  });

  it('the build compiled the templates as they are now, each checked', () => {
    const built = readFileSync(path.join(repoRoot, 'dist/src/emit/templates-precompiled.cjs'), 'utf8');
    expect(built).toBe(precompiledTemplatesModule());
    expect(built).toContain('"project/README.md.hbs"');
  });

  it('YAML written through the yaml document model keeps hostile keys and values as data', async () => {
    const { Document } = await import('yaml');
    const hostile = { 'op\nspec: https://evil.example': { reason: 'x\n# y\nout: /etc', name: "'; \"" } };
    expect(parseYaml(new Document({ spec: 'a.yaml', operations: hostile }).toString())).toStrictEqual({ spec: 'a.yaml', operations: hostile });
  });
});
