import type { JsonSchema, ToolDefinition } from './definition.js';

/** How a result says there is more: the arguments that fetch the next page, and the total when the API tells it. */
export type PageInfo = {
  hasMore: boolean;
  /** Call the same tool with these arguments (the others unchanged) for the next page. */
  next?: { [argument: string]: string | number };
  total?: number;
};

/** The property of structured content that carries {@link PageInfo}. */
export const paginationProperty = '_pagination';

const totalFields = ['total_count', 'totalCount', 'total', 'total_results', 'totalResults', 'totalSize'];

/**
 * Reads what a response says about further pages: a `Link` header with `rel="next"` (only when it points at
 * the same endpoint as the request; its query parameters are mapped to the tool's arguments, so no URL, and
 * no credential in one, is ever passed on), cursor fields in the body (`next_cursor`, `next_page_token`,
 * Stripe's `has_more`, Kubernetes' `metadata.continue`) and total counts.
 */
export function readPagination({
  tool,
  headers,
  body,
  requestUrl,
}: {
  tool: ToolDefinition;
  headers: Headers;
  body: unknown;
  requestUrl?: string;
}): PageInfo | undefined {
  const binding = tool.pagination;
  if (!binding) return undefined;
  const info: PageInfo = { hasMore: false };
  const total = findTotal(body);
  if (total !== undefined) info.total = total;
  const link = requestUrl ? nextFromLink(tool, headers.get('link'), requestUrl) : undefined;
  if (link) {
    info.hasMore = true;
    if (link.next) info.next = link.next;
  }
  const cursor = nextFromBody(body, binding);
  if (cursor) {
    info.hasMore = info.hasMore || cursor.hasMore;
    if (!info.next && cursor.next) info.next = cursor.next;
  }
  return info.hasMore || info.total !== undefined ? info : undefined;
}

/** A text line that tells the model how to get the next page. */
export function describePagination(tool: ToolDefinition, info: PageInfo): string | undefined {
  const total = info.total !== undefined ? ` (${info.total} in total)` : '';
  if (!info.hasMore) return info.total !== undefined ? `This is the last page${total}.` : undefined;
  if (!info.next) return `More results are available${total}; narrow the request to see them.`;
  return `More results are available${total}: call ${tool.name} again with ${JSON.stringify(info.next)} and the other arguments unchanged.`;
}

function nextFromLink(tool: ToolDefinition, header: string | null, requestUrl: string): { next?: PageInfo['next'] } | undefined {
  const target = header ? parseLinkHeader(header).get('next') : undefined;
  if (!target) return undefined;
  let next: URL;
  let current: URL;
  try {
    current = new URL(requestUrl);
    next = new URL(target, current);
  } catch {
    return undefined;
  }
  if (next.origin !== current.origin || next.pathname !== current.pathname) return {};
  const argumentsFor: { [argument: string]: string | number } = {};
  for (const [name, value] of next.searchParams) {
    if (current.searchParams.getAll(name).join('\u0000') === next.searchParams.getAll(name).join('\u0000')) continue;
    const binding = tool.http.parameters.find((parameter) => parameter.in === 'query' && parameter.name === name && parameter.value === undefined);
    if (!binding || next.searchParams.getAll(name).length > 1) return {};
    argumentsFor[binding.argument] = typed(value, tool.inputSchema, binding.argument);
  }
  return Object.keys(argumentsFor).length > 0 ? { next: argumentsFor } : {};
}

/** `<url>; rel="next", <url>; rel="last"` → rel → url (RFC 8288). */
export function parseLinkHeader(header: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1];
    for (const name of rel?.toLowerCase().split(/\s+/) ?? []) if (!links.has(name)) links.set(name, match[1]!);
  }
  return links;
}

function nextFromBody(body: unknown, binding: NonNullable<ToolDefinition['pagination']>): { hasMore: boolean; next?: PageInfo['next'] } | undefined {
  if (!isRecord(body)) return undefined;
  const cursor =
    stringAt(body, ['next_cursor']) ??
    stringAt(body, ['nextCursor']) ??
    stringAt(body, ['response_metadata', 'next_cursor']) ??
    stringAt(body, ['meta', 'next_cursor']) ??
    stringAt(body, ['pagination', 'next_cursor']);
  if (cursor) return { hasMore: true, ...(binding.cursor ? { next: { [binding.cursor]: cursor } } : {}) };
  const token = stringAt(body, ['next_page_token']) ?? stringAt(body, ['nextPageToken']);
  if (token) return { hasMore: true, ...(binding.pageToken ? { next: { [binding.pageToken]: token } } : {}) };
  const continueToken = stringAt(body, ['metadata', 'continue']);
  if (continueToken) return { hasMore: true, ...(binding.continue ? { next: { [binding.continue]: continueToken } } : {}) };
  if (body.has_more === true) {
    const last = Array.isArray(body.data) ? body.data.at(-1) : undefined;
    const id = isRecord(last) && typeof last.id === 'string' ? last.id : undefined;
    return { hasMore: true, ...(binding.startingAfter && id ? { next: { [binding.startingAfter]: id } } : {}) };
  }
  if (body.has_more === false) return { hasMore: false };
  return undefined;
}

/** A total count of items: at the root of a body that holds a list (where `total` is not an amount), or in its `meta`/`pagination`. */
function findTotal(body: unknown, inMeta = false): number | undefined {
  if (!isRecord(body)) return undefined;
  if (inMeta || Object.values(body).some(Array.isArray)) {
    for (const field of totalFields) {
      const value = body[field];
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    }
  }
  if (inMeta) return undefined;
  const meta = isRecord(body.meta) ? body.meta : isRecord(body.pagination) ? body.pagination : undefined;
  return meta ? findTotal(meta, true) : undefined;
}

function stringAt(body: { [key: string]: unknown }, path: string[]): string | undefined {
  let node: unknown = body;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return typeof node === 'string' && node !== '' ? node : undefined;
}

function typed(value: string, inputSchema: JsonSchema, argument: string): string | number {
  const schema = (inputSchema.properties as { [name: string]: { type?: unknown } } | undefined)?.[argument];
  const type = Array.isArray(schema?.type) ? schema.type : [schema?.type];
  if ((type.includes('integer') || type.includes('number')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

function isRecord(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
