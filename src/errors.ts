/** Where a problem is: a file, a JSON pointer inside it, and a line when it is known. */
export type Location = {
  file?: string;
  pointer?: string;
  line?: number;
};

export type Diagnostic = Location & {
  code: string;
  message: string;
  help?: string;
};

/**
 * A problem with the user's input (spec, config, flags) that stops the run. The CLI prints it without a
 * stack trace and exits with code 1.
 */
export class UserError extends Error {
  readonly diagnostic: Diagnostic;

  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'UserError';
    this.diagnostic = diagnostic;
  }
}

/** Formats a diagnostic as `file:line (pointer): message` followed by an indented hint. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = [
    diagnostic.file && diagnostic.line ? `${diagnostic.file}:${diagnostic.line}` : diagnostic.file,
    diagnostic.pointer ? `at ${diagnostic.pointer || '/'}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const head = where ? `${where}: ${diagnostic.message}` : diagnostic.message;
  return diagnostic.help ? `${head}\n  hint: ${diagnostic.help}` : head;
}

/** Builds a JSON pointer from path segments, escaping `~` and `/` per RFC 6901. */
export function toPointer(segments: readonly (string | number)[]): string {
  let pointer = '';
  for (const segment of segments) {
    const text = String(segment);
    pointer += `/${/[~/]/.test(text) ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text}`;
  }
  return pointer;
}

/** Splits a JSON pointer (`#/a/b` or `/a/b`) into unescaped segments. */
export function fromPointer(pointer: string): string[] {
  const isFragment = pointer.startsWith('#');
  const body = isFragment ? pointer.slice(1) : pointer;
  if (body === '') return [];
  const segments = body.slice(1).split('/');
  if (!/[%~]/.test(body)) return segments;
  return segments.map((segment) => (isFragment ? decodeFragment(segment) : segment).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function decodeFragment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Looks up a JSON pointer in a document; undefined when any segment is missing. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const segment of fromPointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** The first line of an error's message, for one-line diagnostics. */
export function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
