import { open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError, firstLine } from '../errors.js';
import { limitReached, type LoadLimits } from './limits.js';
import type { RefPolicy } from './ref-policy.js';
import { formatCount } from '../format-count.js';

const maxRedirects = 5;

/** Text of a file or download: UTF-8, without a byte-order mark (as .NET tools write). */
function decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

/** Reads a local file of at most `limits.maxSpecBytes` bytes. Errors are Node's, for the caller to word. */
export async function readLocalText(file: string, limits: LoadLimits): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > limits.maxSpecBytes) throw limitReached('maxSpecBytes', limits, file, `the file is ${formatCount(size)} bytes`);
    return decode(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/**
 * Downloads a spec: at most `limits.maxSpecBytes` bytes (counted as they arrive, so a huge or endless
 * body is cut off without being held in memory), within `limits.fetchTimeoutMs` for headers and body. With a
 * `policy`, redirects are followed only to locations the policy allows.
 */
export async function downloadText(url: string, limits: LoadLimits, policy?: RefPolicy): Promise<string> {
  const signal = AbortSignal.timeout(limits.fetchTimeoutMs);
  const unreachable = (reason: string, help = 'Check the URL and your network, or download the file and pass its path.') =>
    new UserError({ code: 'spec-unreachable', file: url, message: `cannot download the spec: ${reason}`, help });
  const timedOut = () => limitReached('fetchTimeoutMs', limits, url, 'the download did not finish in time');
  try {
    let location = new URL(url);
    let response: Response;
    for (let hops = 0; ; hops++) {
      response = await fetch(location, { signal, redirect: policy ? 'manual' : 'follow' });
      const next = response.headers.get('location');
      if (!policy || response.status < 300 || response.status > 399 || !next) break;
      await response.body?.cancel();
      if (hops === maxRedirects) throw unreachable(`more than ${maxRedirects} redirects`);
      location = new URL(next, location);
      const refused = policy.refuse(location);
      if (refused) throw unreachable(`it redirects to ${location.href}, and ${refused}`, `If that location is trusted, pass --allow-ref ${policy.suggestion(location)}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw unreachable(`HTTP ${response.status} ${response.statusText}`, 'Check the URL, or download the file and pass its path.');
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > limits.maxSpecBytes) {
      await response.body?.cancel();
      throw limitReached('maxSpecBytes', limits, url, `the server announces ${formatCount(declared)} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    for await (const chunk of response.body ?? []) {
      received += chunk.byteLength;
      if (received > limits.maxSpecBytes) {
        await response.body?.cancel().catch(() => {});
        throw limitReached('maxSpecBytes', limits, url, `the download passed ${formatCount(limits.maxSpecBytes)} bytes`);
      }
      chunks.push(chunk);
    }
    return decode(Buffer.concat(chunks));
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (signal.aborted) throw timedOut();
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw unreachable(cause?.message ?? (error instanceof Error ? error.message : String(error)));
  }
}

/** Whether a spec source is an http(s) URL rather than a local path. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The absolute URL of a spec source, against which its relative `$ref`s resolve. */
export function entryUrl(source: string): string {
  return isUrl(source) ? new URL(source).href : pathToFileURL(path.resolve(source)).href;
}

/** Reads a spec from a path or URL; a file that cannot be read stops the load with a clear error. */
export async function readSource(source: string, limits: LoadLimits): Promise<string> {
  if (isUrl(source)) return downloadText(source, limits);
  try {
    return await readLocalText(source, limits);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError({
      code: 'spec-unreadable',
      file: source,
      message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a spec file' : `cannot read the spec: ${firstLine(error)}`,
      help: 'Pass the path of an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML), or an http(s) URL.',
    });
  }
}
