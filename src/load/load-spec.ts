import type { Diagnostic } from '../errors.js';
import { bundleDocument, type LoadContext } from './bundle-refs.js';
import { resolveLimits, type LoadLimits } from './limits.js';
import { detectVersion, parseText, type SpecVersion } from './parse-spec.js';
import { entryUrl, readSource } from './read-source.js';
import { createRefPolicy } from './ref-policy.js';
import { validateDocument } from './validate-spec.js';

/** A parsed, bundled OpenAPI or Swagger document: every `$ref` in it is a local JSON pointer. */
export type LoadedSpec = {
  /** The path or URL the document was read from, as the user gave it. */
  source: string;
  version: SpecVersion;
  document: Record<string, unknown>;
  warnings: Diagnostic[];
};

/** How a spec may be loaded: the resource limits, and the `--allow-ref` prefixes beyond the default `$ref` policy. */
export type LoadOptions = { limits?: LoadLimits; allowRefs?: readonly string[]; onValidate?: () => void };

/** Reads, parses, bundles and validates a spec. Invalid but usable documents load with warnings. */
export async function loadSpec(source: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const limits = options.limits ?? resolveLimits();
  const allowRefs = [...(options.allowRefs ?? []), ...(process.env.TOOLWRIGHT_ALLOW_REF ?? '').split(/\s+/).filter(Boolean)];
  const context: LoadContext = { limits, policy: createRefPolicy(entryUrl(source), allowRefs) };
  const text = await readSource(source, limits);
  const parsed = parseText(text, source, limits);
  const version = detectVersion(parsed, source);
  const { document, warnings: bundleWarnings } = await bundleDocument({ source, text, parsed: parsed as Record<string, unknown>, context });
  options.onValidate?.();
  const warnings = await validateDocument(document, source, text);
  return { source, version, document, warnings: [...bundleWarnings, ...warnings] };
}
