import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFiles } from '../src/emit/plan-files.js';
import { layoutServerDefinition } from '../src/emit/server-definition.js';
import { generateProject } from '../src/pipeline.js';
import { repoRoot } from './helpers.js';

describe('tool files written as text', () => {
  it('lay out comments as ts-morph does, and keep spec text that looks like a placeholder where it belongs', async () => {
    const { catalog } = await generateProject({ spec: path.join(repoRoot, 'examples/petstore/openapi.yaml') });
    const [first, second, ...rest] = catalog.tools;
    const tools = [
      { ...first!, title: 'Ends with spaces  ' },
      { ...second!, title: 'Says __toolwright_literal__ */ and more' },
      ...rest,
    ];
    const plan = planFiles({ ...catalog, tools });
    const files = [...plan.entries()].filter(([file]) => file.startsWith('src/tools/') && file !== 'src/tools/index.ts');
    const texts = files.map(([, text]) => text);
    expect(texts[0]).toContain(`\n/** ${first!.http.method} ${first!.http.path}: Ends with spaces  */\nexport const `);
    expect(texts[1]).toContain(`: Says __toolwright_literal__ *\\/ and more */\nexport const `);
    expect(texts[1]).toMatch(/ToolDefinition = \{\n {2}name: /);
    const index = plan.get('src/tools/index.ts')!;
    expect(index.split('\n').slice(1, 2)).toStrictEqual(["import type { ToolDefinition } from '../runtime/definition.js';"]);
    expect(index.endsWith(',\n];\n')).toBe(true);
  });

  it('lay out src/server-definition.ts as ts-morph does now: the build laid it out with the same ts-morph', () => {
    const built = createRequire(import.meta.url)(path.join(repoRoot, 'dist/src/emit/server-definition-layout.cjs')) as string;
    expect(built).toBe(layoutServerDefinition());
    expect(built).toMatch(/^import type \{ ServerDefinition \} from '\.\/runtime\/definition\.js';\n\nexport const serverDefinition: ServerDefinition = __toolwright_literal__;\n$/);
  });
});
