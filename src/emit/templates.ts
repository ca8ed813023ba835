import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type HandlebarsModule from 'handlebars';
import { builtBeside } from '../built-beside.js';
import { packageRoot } from '../package-info.js';
import { templateFormat, templateHelpers } from './escape.js';

const templatesDir = path.join(packageRoot, 'templates');
const requireHere = createRequire(import.meta.url);

/** Reads a template file as it is, with line endings normalized to LF. */
export function readTemplate(relativePath: string): string {
  return readFileSync(path.join(templatesDir, relativePath), 'utf8').replace(/\r\n/g, '\n');
}

/** Lists the files of a template folder, sorted. */
export function listTemplates(relativeDir: string): string[] {
  return readdirSync(path.join(templatesDir, relativeDir)).sort();
}


type TemplateSpec = Parameters<typeof HandlebarsModule.template>[0];

/**
 * The project's templates, checked (see `assertTemplateEscaped`) and compiled, as the CommonJS module that the
 * build writes beside this one (`templates-precompiled.cjs`): a run then loads only Handlebars' runtime. Run
 * from the sources, templates are checked and compiled when first used.
 */
export function precompiledTemplatesModule(): string {
  const handlebars = requireHere('handlebars') as typeof HandlebarsModule;
  const entries = listTemplates('project')
    .filter((name) => name.endsWith('.hbs'))
    .map((name) => {
      const relativePath = `project/${name}`;
      const source = readTemplate(relativePath);
      assertTemplateEscaped(source, relativePath);
      return `  ${JSON.stringify(relativePath)}: ${handlebars.precompile(source, compileOptions(relativePath)) as string},`;
    });
  return `'use strict';\nmodule.exports = {\n${entries.join('\n')}\n};\n`;
}

function compileOptions(relativePath: string): CompileOptions {
  const helpers = templateHelpers[templateFormat(relativePath)];
  return { noEscape: true, strict: true, knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])) };
}

type CompileOptions = { noEscape: boolean; strict: boolean; knownHelpers: Record<string, boolean> };

/**
 * A Handlebars template whose context type is `Context`; a missing field is an error. The template's format
 * (from its file name) decides which escaping helpers it may output values with; a bare `{{value}}` or
 * `{{{value}}}` is refused, so no value reaches the file without its format's escaping.
 */
export function compileTemplate<Context>(relativePath: string): (context: Context) => string {
  const helpers = templateHelpers[templateFormat(relativePath)];
  const spec = builtBeside<Record<string, TemplateSpec>>(import.meta.url, './templates-precompiled.cjs')?.[relativePath];
  const handlebars = spec ? (requireHere('handlebars/runtime') as typeof HandlebarsModule).create() : (requireHere('handlebars') as typeof HandlebarsModule).create();
  for (const [name, helper] of Object.entries(helpers)) handlebars.registerHelper(name, (value: unknown) => helper(value as never));
  if (spec) {
    const template = handlebars.template(spec);
    return (context) => template(context);
  }
  const source = readTemplate(relativePath);
  assertTemplateEscaped(source, relativePath);
  const template = handlebars.compile(source, compileOptions(relativePath));
  return (context) => template(context);
}

/** Throws unless every value the template outputs goes through one of its format's escaping helpers. */
export function assertTemplateEscaped(source: string, relativePath: string): void {
  assertEscaped((requireHere('handlebars') as typeof HandlebarsModule).parse(source) as AstNode, new Set(Object.keys(templateHelpers[templateFormat(relativePath)])), relativePath);
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
