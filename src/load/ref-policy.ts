import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Which locations a spec's `$ref`s may make Toolwright read. A spec read from a URL may only refer to
 * files under its own folder on the same origin (scheme, host and port): never to local files, another
 * host or port, or a path outside that folder. A local spec may refer to local files but not to the
 * network. The user widens either with `--allow-ref <prefix>` (a URL or a local path), once per prefix.
 */
export type RefPolicy = {
  /** Why `target` may not be read, or undefined when it may. */
  refuse(target: URL): string | undefined;
  /** The `--allow-ref` value that would allow `target`, for the hint. */
  suggestion(target: URL): string;
};

/** Turns an `--allow-ref` value into a URL prefix. */
export function allowedPrefix(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return new URL(value).href;
  const resolved = pathToFileURL(path.resolve(value)).href;
  return value.endsWith('/') || value.endsWith(path.sep) ? `${resolved.replace(/\/?$/, '/')}` : resolved;
}

/** True when `href` is `prefix` or lies under it (the prefix ends at a `/`, `?` or `#` boundary). */
function isUnder(href: string, prefix: string): boolean {
  if (!href.startsWith(prefix)) return false;
  return href.length === prefix.length || prefix.endsWith('/') || '/?#'.includes(href[prefix.length]!);
}

/** The policy for a spec read from `entry` (an absolute `file:` or `http(s):` URL). */
export function createRefPolicy(entry: string, allowRefs: readonly string[] = []): RefPolicy {
  const entryUrl = new URL(entry);
  const remote = entryUrl.protocol !== 'file:';
  const home = new URL('.', entryUrl).href;
  const allowed = allowRefs.map(allowedPrefix);
  return {
    refuse(target) {
      const href = target.href;
      if (allowed.some((prefix) => isUnder(href, prefix))) return undefined;
      if (target.protocol !== 'file:' && target.protocol !== 'http:' && target.protocol !== 'https:') {
        return `${target.protocol} references are not read`;
      }
      if (remote) {
        if (target.protocol === 'file:') return 'a spec read from a URL may not refer to local files';
        if (target.origin !== entryUrl.origin) return `a spec read from ${entryUrl.origin} may not refer to another host or port`;
        if (!isUnder(href, home)) return `a spec read from a URL may only refer to files under ${home}`;
        return undefined;
      }
      if (target.protocol !== 'file:') return 'a local spec may not refer to the network';
      return undefined;
    },
    suggestion(target) {
      return target.protocol === 'file:' ? path.dirname(decodeURIComponent(target.pathname)) + '/' : new URL('.', target).href;
    },
  };
}
