// Compiles what every `generate` would otherwise compile again: the Handlebars templates of a generated project
// (dist/src/emit/templates-precompiled.cjs, see src/emit/templates.ts) and the layout of its
// src/server-definition.ts, which ts-morph lays out alike for every server (dist/src/emit/server-definition-layout.cjs,
// see src/emit/server-definition.ts). A run then loads neither the Handlebars compiler nor the TypeScript compiler.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { layoutServerDefinition } from '../dist/src/emit/server-definition.js';
import { precompiledTemplatesModule } from '../dist/src/emit/templates.js';

const emitDir = new URL('../dist/src/emit/', import.meta.url);
writeFileSync(fileURLToPath(new URL('templates-precompiled.cjs', emitDir)), precompiledTemplatesModule());
writeFileSync(fileURLToPath(new URL('server-definition-layout.cjs', emitDir)), `'use strict';\nmodule.exports = ${JSON.stringify(layoutServerDefinition())};\n`);
