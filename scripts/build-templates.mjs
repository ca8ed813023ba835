// Checks and compiles the Handlebars templates of a generated project into dist/src/emit/templates-precompiled.cjs,
// so that `generate` loads only Handlebars' runtime (see src/emit/templates.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { precompiledTemplatesModule } from '../dist/src/emit/templates.js';

writeFileSync(fileURLToPath(new URL('../dist/src/emit/templates-precompiled.cjs', import.meta.url)), precompiledTemplatesModule());
