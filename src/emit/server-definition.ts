import { createRequire } from 'node:module';
import type { ServerDefinition } from '../../templates/runtime/definition.js';
import { builtBeside } from '../built-beside.js';
import { toLiteral } from './literal.js';

const requireHere = createRequire(import.meta.url);

/**
 * Where an initializer goes in a file that ts-morph lays out. The initializer is put in afterwards, so
 * that ts-morph neither re-indents nor re-parses large schemas.
 */
const literalSlot = '__toolwright_literal__';

/**
 * The layout of `src/server-definition.ts` below its banner, with `literalSlot` where the definition goes:
 * built with ts-morph. It is the same for every server, so the build lays it out once, into
 * `server-definition-layout.cjs` beside this module (see `scripts/build-emit.mjs`), and a run does not load
 * the TypeScript compiler; run from the sources, it is laid out here.
 */
export function layoutServerDefinition(): string {
  // `require`: importing this large CommonJS package as an ES module would first scan all of its source for export names.
  const { IndentationText, NewLineKind, Project, QuoteKind, VariableDeclarationKind } = requireHere('ts-morph') as typeof import('ts-morph');
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Single,
    },
  });
  const definition = project.createSourceFile('/src/server-definition.ts');
  definition.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: './runtime/definition.js', namedImports: ['ServerDefinition'] });
  definition.addVariableStatement({
    isExported: true,
    declarations: [{ name: 'serverDefinition', type: 'ServerDefinition', initializer: literalSlot }],
    declarationKind: VariableDeclarationKind.Const,
  });
  return definition.getFullText();
}

let layout: string | undefined;

/** `src/server-definition.ts` of the generated project, below its banner: the layout with the definition as a literal. */
export function emitServerDefinition(server: ServerDefinition): string {
  layout ??= builtBeside<string>(import.meta.url, './server-definition-layout.cjs') ?? layoutServerDefinition();
  const at = layout.indexOf(literalSlot);
  return `${layout.slice(0, at)}${toLiteral(server)}${layout.slice(at + literalSlot.length)}`.trimEnd() + '\n';
}
