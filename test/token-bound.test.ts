import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { knownPieceTokens, tokenUpperBound } from '../src/catalog/token-bound.js';
import { repoRoot, tempDir } from './helpers.js';

describe('tokenUpperBound', () => {
  it('knows its pieces as the tokenizer encodes them', () => {
    for (const [piece, tokens] of knownPieceTokens) expect(countTokens(piece), piece).toBe(tokens);
  });

  it.each([
    '{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"tag":{"type":["string","null"]}}}',
    '{"type":"object","properties":{"data":{"type":"array","items":{"type":"object","properties":{"created_at":{"type":"string"},"v1Beta2Id":{}}}},"has_more":{"type":"boolean"}}}',
    '{"properties":{"getHTTPResponseCode":{"type":"integer"},"x-rate-limit":{"type":"number"},"a_b_c_1234567":{},"ÄÖÜ":{"type":"string"}}}',
    '{"properties":{"owner\'s name":{"type":"string"},"it\'s":{},"with space":{"type":"null"}}}',
    '{"description":"Returns the customer\'s last 4 digits, e.g. 4242.","examples":[1,22,333,4444,55555]}',
    '"}}}}]]]],,,,::::{{{{',
    '',
  ])('is never below the count of %s', (text) => {
    expect(tokenUpperBound(text)).toBeGreaterThanOrEqual(countTokens(text));
  });

  it('is close enough on a compact schema to spare loading the tokenizer for a small API', () => {
    const pet = '{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"tag":{"type":"string"},"status":{"type":"string"},"owner":{"type":"object"}}}';
    expect(tokenUpperBound(pet)).toBeLessThan(2 * countTokens(pet));
    expect(tokenUpperBound(pet)).toBeLessThan(Buffer.byteLength(pet) / 2);
  });
});

describe('compact output schemas of a small API', () => {
  it('are fitted to their budget without loading the tokenizer', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const dist = (file: string) => JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/src', file)).href);
      const script = path.join(dir, 'catalog.mjs');
      await writeFile(
        script,
        `import { buildCatalog } from ${dist('catalog/build-catalog.js')};
        import { readCurationConfig } from ${dist('curate/config-file.js')};
        import { selectTools } from ${dist('curate/select.js')};
        import { loadSpec } from ${dist('load/load-spec.js')};
        import { buildModel } from ${dist('model/build-model.js')};
        const config = await readCurationConfig(${JSON.stringify(path.join(repoRoot, 'examples/petstore/toolwright.yaml'))});
        const { model } = buildModel(await loadSpec(config.spec));
        const { catalog } = buildCatalog({ model, decisions: selectTools({ model, config }).decisions });
        process.stdout.write(String(catalog.tools.filter((tool) => tool.outputSchema).length));`,
      );
      const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(process.execPath, ['--import', path.join(repoRoot, 'test/fixtures/import-trace.mjs'), script], { cwd: dir, timeout: 60_000 }, (error, out, err) =>
          error ? reject(error) : resolve({ stdout: out, stderr: err }),
        ),
      );
      expect(Number(stdout)).toBeGreaterThan(0);
      expect(stderr).toContain('imported: yaml');
      expect(stderr).not.toContain('imported: gpt-tokenizer');
    } finally {
      await cleanup();
    }
  }, 60_000);
});
