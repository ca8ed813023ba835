/**
 * How spec text is written into each non-TypeScript format of a generated project. Every template of a
 * format may only output values through that format's helpers (checked when the template is compiled, see
 * `templates.ts`), so that no title, description, scope or server name can add a line, a link or markup.
 *
 * - dotenv: one line, no control characters. A value can neither end a comment nor start an assignment.
 * - Markdown: one line; every character with inline meaning (emphasis, code, links, HTML, tables) is
 *   backslash-escaped; code spans are fenced with more backticks than the text holds.
 * - JSON: `JSON.stringify`, never concatenation.
 * - YAML (toolwright.yaml): written through the `yaml` package's document model, never concatenation.
 * - Identifiers (server name, env prefix, tool and variable names) are checked, not escaped: anything but
 *   letters, digits, `.`, `_` and `-` is a bug upstream and stops the generation.
 * - Dockerfile: identifiers only.
 */
export type TemplateFormat = 'dotenv' | 'markdown' | 'dockerfile';

const lineBreaks = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;
/** C0 and C1 controls, and the bidirectional overrides that make text display otherwise than it reads. */
const invisible = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text on one line: line breaks become spaces, control and bidi-override characters are dropped. */
export function oneLine(text: string): string {
  return text.replace(lineBreaks, ' ').replace(invisible, '').trim();
}

/** Text for a dotenv file (a comment or a value): one line, nothing a dotenv parser reads as a line end. */
export function dotenvText(text: string): string {
  return oneLine(text);
}

/** Text for Markdown prose or a table cell: one line, with every inline-significant character escaped. */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]<>|~&!#]/g, (character) => `\\${character}`);
}

/** A Markdown code span (in a table cell) showing `text` literally, whatever backticks it holds. */
export function markdownCode(text: string): string {
  const line = oneLine(text).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${line}${padding}${fence}`;
}

/** A JSON document's text, ending with a newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** An identifier passed through as it is; anything else is refused. */
export function identifier(text: string | number): string {
  const value = String(text);
  if (!/^[A-Za-z0-9._-]+$/.test(value)) throw new Error(`not an identifier: ${JSON.stringify(value)}`);
  return value;
}

/** The helpers each template format may output values with. */
export const templateHelpers: Record<TemplateFormat, Record<string, (value: never) => string>> = {
  dotenv: { env: dotenvText, id: identifier },
  markdown: { md: markdownText, code: markdownCode, id: identifier, json: (value: unknown) => jsonText(value).trimEnd() },
  dockerfile: { id: identifier },
};

/** The format of a template, from its file name. */
export function templateFormat(relativePath: string): TemplateFormat {
  if (relativePath.endsWith('.md.hbs')) return 'markdown';
  if (relativePath.endsWith('env.example.hbs')) return 'dotenv';
  if (relativePath.endsWith('Dockerfile.hbs')) return 'dockerfile';
  throw new Error(`no output format is known for the template ${relativePath}`);
}
