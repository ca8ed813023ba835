import type { ToolDefinition } from './definition.js';
import type { HttpRequest } from './request.js';

/** The tool call a hook runs for. */
export type HookContext = {
  tool: ToolDefinition;
  args: { readonly [name: string]: unknown };
};

/** The upstream answer as the hook sees it: status, headers (lower-case names) and the body as text. */
export type UpstreamResponse = {
  status: number;
  headers: { [name: string]: string };
  body: string;
};

/**
 * Custom request and response handling for this server, in `src/hooks.ts`. `beforeRequest` may change
 * the request (headers, query, body) but the server keeps it on the configured host; `afterResponse` may
 * change what the model sees.
 */
export type Hooks = {
  beforeRequest?: (request: HttpRequest, context: HookContext) => HttpRequest | Promise<HttpRequest>;
  afterResponse?: (response: UpstreamResponse, context: HookContext) => UpstreamResponse | Promise<UpstreamResponse>;
};
