import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../package-info.js';

const templatesDir = path.join(packageRoot, 'templates');
const handlebars = Handlebars.create();

/** Reads a template file as it is, with line endings normalized to LF. */
export function readTemplate(relativePath: string): string {
  return readFileSync(path.join(templatesDir, relativePath), 'utf8').replace(/\r\n/g, '\n');
}

/** Lists the files of a template folder, sorted. */
export function listTemplates(relativeDir: string): string[] {
  return readdirSync(path.join(templatesDir, relativeDir)).sort();
}

/** Compiles a Handlebars template whose context type is `Context`; a missing field is an error. */
export function compileTemplate<Context>(relativePath: string): (context: Context) => string {
  const template = handlebars.compile(readTemplate(relativePath), { noEscape: true, strict: true });
  return (context) => template(context);
}
