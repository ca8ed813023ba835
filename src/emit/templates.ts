import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../package-info.js';
import { templateFormat, templateHelpers } from './escape.js';

const templatesDir = path.join(packageRoot, 'templates');

/** Reads a template file as it is, with line endings normalized to LF. */
export function readTemplate(relativePath: string): string {
  return readFileSync(path.join(templatesDir, relativePath), 'utf8').replace(/\r\n/g, '\n');
}

/** Lists the files of a template folder, sorted. */
export function listTemplates(relativeDir: string): string[] {
  return readdirSync(path.join(templatesDir, relativeDir)).sort();
}

/**
 * Compiles a Handlebars template whose context type is `Context`; a missing field is an error. The
 * template's format (from its file name) decides which escaping helpers it may output values with; a
 * bare `{{value}}` or `{{{value}}}` is refused, so no value reaches the file without its format's escaping.
 */
export function compileTemplate<Context>(relativePath: string): (context: Context) => string {
  const helpers = templateHelpers[templateFormat(relativePath)];
  const source = readTemplate(relativePath);
  assertTemplateEscaped(source, relativePath);
  const handlebars = Handlebars.create();
  for (const [name, helper] of Object.entries(helpers)) handlebars.registerHelper(name, (value: unknown) => helper(value as never));
  const template = handlebars.compile(source, { noEscape: true, strict: true, knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])) });
  return (context) => template(context);
}

/** Throws unless every value the template outputs goes through one of its format's escaping helpers. */
export function assertTemplateEscaped(source: string, relativePath: string): void {
  assertEscaped(Handlebars.parse(source) as AstNode, new Set(Object.keys(templateHelpers[templateFormat(relativePath)])), relativePath);
}

type AstNode = { type: string; path?: { original?: string }; params?: unknown[]; program?: { body: AstNode[] }; inverse?: { body: AstNode[] }; body?: AstNode[] };

function assertEscaped(node: AstNode, allowed: ReadonlySet<string>, file: string): void {
  if (node.type === 'MustacheStatement') {
    const helper = node.path?.original ?? '';
    if (!allowed.has(helper) || node.params?.length !== 1) {
      throw new Error(`${file}: {{${helper}}} outputs a value without escaping; use one of ${[...allowed].join(', ')}`);
    }
  }
  for (const child of [...(node.body ?? []), ...(node.program?.body ?? []), ...(node.inverse?.body ?? [])]) assertEscaped(child, allowed, file);
}
