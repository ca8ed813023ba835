import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError, firstLine, toPointer, type Diagnostic } from '../errors.js';
import type { LoadLimits } from './limits.js';
import { createLineLocator } from './line-locator.js';
import { downloadText, entryUrl, readLocalText } from './read-source.js';
import type { RefPolicy } from './ref-policy.js';
import { parseText } from './parse-spec.js';
import { bundledFilesKey, findRefs, resolveRef } from './spec-refs.js';
import { maxValidationWarnings } from './validate-spec.js';

/** What following external `$ref`s may use: the resource limits and the policy of which locations may be read. */
export type LoadContext = { limits: LoadLimits; policy: RefPolicy };

type SpecFile = {
  /** Absolute URL (`file:` or `http(s):`). */
  url: string;
  /** How the user or the `$ref` named the file, for messages. */
  label: string;
  text: string;
  document: unknown;
};

type FoundRef = { holder: Record<string, unknown>; file: SpecFile; target: SpecFile; fragment: string; segments: string[] };

/**
 * Bundles a spec and the files its `$ref`s name into one document whose every `$ref` is a local JSON pointer.
 * Each external file is copied once under {@link bundledFilesKey}, and references into it are rewritten, so
 * that nothing is lost or re-pointed (json-schema-ref-parser's `bundle()` leaves some references dangling
 * in multi-file specs). `$ref`s inside literal values (`default`, `example`, `enum`, extensions) are data
 * and left alone. A file that cannot be read or parsed stops the load; a pointer that leads nowhere is a
 * warning, and the reference is treated as an empty schema.
 */
export async function bundleDocument({ source, text, parsed, context }: { source: string; text: string; parsed: Record<string, unknown>; context: LoadContext }): Promise<{
  document: Record<string, unknown>;
  warnings: Diagnostic[];
}> {
  const entry: SpecFile = { url: entryUrl(source), label: source, text, document: parsed };
  const files = new Map<string, SpecFile>([[entry.url, entry]]);
  const refs: FoundRef[] = [];
  const queue: SpecFile[] = [entry];
  for (let file = queue.shift(); file; file = queue.shift()) {
    for (const { holder, segments } of findRefs(file.document)) {
      const ref = holder.$ref as string;
      const hash = ref.indexOf('#');
      const location = hash === -1 ? ref : ref.slice(0, hash);
      const fragment = hash === -1 ? '' : ref.slice(hash + 1);
      let target = file;
      if (location !== '') {
        let url: URL;
        try {
          url = new URL(location, file.url);
        } catch {
          const pointer = toPointer(segments);
          throw new UserError({
            code: 'spec-unresolvable',
            file: file.label,
            pointer,
            line: refLine(file, pointer),
            message: `cannot resolve $ref "${ref}": not a valid file path or URL`,
            help: 'A $ref is a JSON pointer ("#/components/schemas/Pet"), a relative file path ("pet.yaml#/Pet") or a URL.',
          });
        }
        url.hash = '';
        let loaded = files.get(url.href);
        if (!loaded) {
          refuseRef(url, { file, pointer: toPointer(segments), ref }, context.policy);
          loaded = await readReferencedFile(url, { file, pointer: toPointer(segments), ref }, context);
          files.set(url.href, loaded);
          queue.push(loaded);
        }
        target = loaded;
      }
      refs.push({ holder, file, target, fragment, segments });
    }
  }
  const document = entry.document as Record<string, unknown>;
  const keys = new Map<SpecFile, string>();
  const entryFolder = new URL('.', entry.url);
  for (const file of [...files.values()].slice(1)) {
    const url = new URL(file.url);
    const key =
      url.protocol === 'file:' && entryFolder.protocol === 'file:'
        ? path.relative(fileURLToPath(entryFolder), fileURLToPath(url)).split(path.sep).join('/')
        : url.origin === entryFolder.origin && url.pathname.startsWith(entryFolder.pathname)
          ? url.pathname.slice(entryFolder.pathname.length) + url.search
          : url.href;
    keys.set(file, key);
  }
  const warnings: Diagnostic[] = [];
  const warn = (file: SpecFile, pointer: string, message: string, help: string): void => {
    warnings.push({ code: 'spec-ref', file: file.label, pointer: pointerIn(file, pointer, keys), line: refLine(file, pointer), message, help });
  };
  const prefix = (file: SpecFile): string => (file === entry ? '#' : `#${toPointer([bundledFilesKey, keys.get(file)!])}`);
  const anchors = new Set<FoundRef>();
  for (const found of refs) {
    if (found.fragment !== '' && !found.fragment.startsWith('/')) {
      anchors.add(found);
      continue;
    }
    found.holder.$ref = prefix(found.target) + found.fragment;
  }
  if (keys.size > 0) {
    const bundled: Record<string, unknown> = {};
    for (const [file, key] of [...keys].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))) bundled[key] = file.document;
    document[bundledFilesKey] = bundled;
  }
  let dangling = 0;
  const help = 'Fix the reference in the spec; Toolwright treats it as an empty schema (any value) meanwhile.';
  // A spec names the same targets over and over: each that resolves is looked up once. (One that does not
  // may resolve later, once the dangling `$ref` it leads to is removed.)
  const resolving = new Set<string>();
  for (const found of refs) {
    const original = found.holder.$ref as string;
    const isAnchor = anchors.has(found);
    if (!isAnchor && resolving.has(original)) continue;
    if (!isAnchor && resolveRef(document, original) !== undefined) {
      resolving.add(original);
      continue;
    }
    dangling++;
    if (dangling <= maxValidationWarnings) {
      warn(
        found.file,
        toPointer(found.segments),
        isAnchor
          ? `$ref "${original}" uses a plain-name fragment, which Toolwright cannot resolve; it is treated as an empty schema`
          : `$ref "${displayRef(original, keys)}" points at nothing; it is treated as an empty schema`,
        help,
      );
    }
    delete found.holder.$ref;
  }
  if (dangling > maxValidationWarnings) {
    warnings.push({ code: 'spec-ref', file: source, message: `${dangling - maxValidationWarnings} more $refs point at nothing`, help });
  }
  return { document, warnings };
}

type RefSite = { file: SpecFile; pointer: string; ref: string };

/** Stops the load when the policy does not let the spec read what a `$ref` names. */
function refuseRef(url: URL, from: RefSite, policy: RefPolicy): void {
  const reason = policy.refuse(url);
  if (!reason) return;
  throw new UserError({
    code: 'spec-ref-refused',
    file: from.file.label,
    pointer: from.pointer,
    line: refLine(from.file, from.pointer),
    message: `$ref "${from.ref}" is not followed: ${reason}`,
    help: `If that location is trusted, allow it with --allow-ref ${policy.suggestion(url)} (repeatable).`,
  });
}

async function readReferencedFile(url: URL, from: RefSite, { limits, policy }: LoadContext): Promise<SpecFile> {
  const label = url.protocol === 'file:' ? path.relative(process.cwd(), fileURLToPath(url)) || fileURLToPath(url) : url.href;
  let text: string;
  try {
    text = url.protocol === 'file:' ? await readLocalText(fileURLToPath(url), limits) : await downloadText(url.href, limits, policy);
  } catch (error) {
    if (error instanceof UserError && error.diagnostic.code === 'spec-limit') throw error;
    const reason = error instanceof UserError ? error.message : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : firstLine(error);
    throw new UserError({
      code: 'spec-unresolvable',
      file: from.file.label,
      pointer: from.pointer,
      line: refLine(from.file, from.pointer),
      message: `cannot resolve $ref "${from.ref}": ${label}: ${reason}`,
      help: 'Check that every file a $ref names exists, relative to the file that contains the $ref.',
    });
  }
  return { url: url.href, label, text, document: parseText(text, label, limits) };
}

/** A pointer inside a file, as a pointer into the bundled document when the file was bundled. */
function pointerIn(file: SpecFile, pointer: string, keys: Map<SpecFile, string>): string {
  const key = keys.get(file);
  return key === undefined ? pointer : `${toPointer([bundledFilesKey, key])}${pointer}`;
}

/** A rewritten `$ref`, shown as the file and pointer it named. */
function displayRef(ref: string, keys: Map<SpecFile, string>): string {
  const bundledPrefix = `#${toPointer([bundledFilesKey])}/`;
  if (!ref.startsWith(bundledPrefix)) return ref;
  const [key, ...rest] = ref.slice(bundledPrefix.length).split('/');
  return `${(key ?? '').replace(/~1/g, '/').replace(/~0/g, '~')}#/${rest.join('/')}`;
}

const locators = new WeakMap<SpecFile, (pointer: string) => number | undefined>();

/** The line of the `$ref` at a pointer in a file, else of the object that holds it. */
function refLine(file: SpecFile, pointer: string): number | undefined {
  let locate = locators.get(file);
  if (!locate) {
    locate = createLineLocator(file.text);
    locators.set(file, locate);
  }
  return locate(`${pointer}/$ref`) ?? locate(pointer);
}
