import { createRequire } from 'node:module';
import type { ServerDefinition } from '../../templates/runtime/definition.js';
import { toLiteral } from './literal.js';

/**
 * ts-morph, loaded with `require`: importing this large CommonJS package as an ES module would first scan all
 * of its source for export names.
 */
const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph');

/**
 * Where an initializer goes in a file that ts-morph lays out. The initializer is put in afterwards, so
 * that ts-morph neither re-indents nor re-parses large schemas.
 */
const literalSlot = '__toolwright_literal__';

/** `src/server-definition.ts` of the generated project, below its banner: laid out by ts-morph. */
export function emitServerDefinition(server: ServerDefinition): string {
  const { IndentationText, NewLineKind, Project, QuoteKind, VariableDeclarationKind } = tsMorph;
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
  const text = definition.getFullText();
  const at = text.indexOf(literalSlot);
  return `${text.slice(0, at)}${toLiteral(server)}${text.slice(at + literalSlot.length)}`.trimEnd() + '\n';
}
