import { applyCredential, selectCredentials } from './auth.js';
import type { Credentials } from './credentials.js';
import type { BodyBinding, HttpMethod, JsonValue, ToolDefinition } from './definition.js';
import {
  encodedFormFields,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
} from './serialize.js';

/** An HTTP request ready for `fetch`: header names are lower-case. */
export type HttpRequest = {
  method: HttpMethod;
  url: string;
  headers: { [name: string]: string };
  body?: string | Uint8Array<ArrayBuffer> | FormData;
};

/** The arguments cannot be turned into a safe request; the message is meant for the caller of the tool. */
export class RequestError extends Error {
  override name = 'RequestError';
}

type Schema = { [keyword: string]: unknown };

/** Builds the upstream request for a tool call from validated arguments; throws a `RequestError` if the arguments cannot make a safe one. */
export function buildRequest({
  tool,
  args,
  baseUrl,
  credentials,
  pinned = {},
}: {
  tool: ToolDefinition;
  args: { [name: string]: unknown };
  baseUrl: string;
  credentials: Credentials;
  /** Values of arguments pinned to environment variables, by variable. */
  pinned?: { [variable: string]: string };
}): HttpRequest {
  args = pinArguments(tool, args, pinned);
  const headers: { [name: string]: string } = {};
  const query: string[] = [];
  const cookies: string[] = [];
  for (const binding of tool.http.parameters) {
    const value = boundValue(binding, args);
    if (value === undefined || binding.in === 'path') continue;
    if (binding.in === 'query') query.push(...serializeQueryParameter(binding, value));
    else if (binding.in === 'cookie') cookies.push(...serializeCookieParameter(binding, value));
    else headers[binding.name.toLowerCase()] = checkHeaderValue(binding.argument, serializeHeaderParameter(binding, value));
  }
  const body = tool.http.body ? buildBody(tool, tool.http.body, args) : undefined;
  if (body?.contentType) headers['content-type'] = body.contentType;
  for (const credential of selectCredentials(tool.http.security, credentials) ?? []) {
    applyCredential(credential, { headers, query, cookies });
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  const url = joinUrl(baseUrl, expandPath(tool, args), query);
  return body ? { method: tool.http.method, url, headers, body: body.content } : { method: tool.http.method, url, headers };
}

/** The arguments with the values of environment-pinned ones filled in (they are not in the input schema). */
function pinArguments(tool: ToolDefinition, args: { [name: string]: unknown }, pinned: { [variable: string]: string }): { [name: string]: unknown } {
  const bindings = [...tool.http.parameters, ...(tool.http.body?.properties ?? [])].filter((binding) => binding.env !== undefined);
  if (bindings.length === 0) return args;
  const filled = { ...args };
  for (const binding of bindings) {
    const value = pinned[binding.env!];
    if (value === undefined) throw new RequestError(`${tool.name} is misconfigured: ${binding.env} is not set`);
    filled[binding.argument] = value;
  }
  return filled;
}

/** The value pinned in toolwright.yaml when there is one, otherwise the caller's argument. */
function boundValue(binding: { argument: string; value?: JsonValue }, args: { [name: string]: unknown }): unknown {
  return binding.value !== undefined ? binding.value : args[binding.argument];
}

function checkHeaderValue(argument: string, text: string): string {
  if (/[^\t\x20-\x7e]/.test(text)) {
    throw new RequestError(`${argument}: must contain only printable ASCII characters, because it is sent as an HTTP header`);
  }
  return text;
}

function expandPath(tool: ToolDefinition, args: { [name: string]: unknown }): string {
  const used: string[] = [];
  const path = tool.http.path.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const binding = tool.http.parameters.find((parameter) => parameter.in === 'path' && parameter.name === name);
    if (!binding) throw new RequestError(`${tool.name} is misconfigured: no argument fills {${name}} in ${tool.http.path}`);
    const value = boundValue(binding, args);
    if (value === undefined) throw new RequestError(`missing required argument "${binding.argument}"`);
    used.push(binding.argument);
    return serializePathParameter(binding, value);
  });
  if (path.split(/[/?]/).some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment))) {
    if (used.length === 0) throw new RequestError(`${tool.name} is misconfigured: its path ${tool.http.path} has a "." or ".." segment`);
    throw new RequestError(`${used.join(', ')}: a path value cannot be "." or "..", which would address a different endpoint`);
  }
  return path.startsWith('/') ? path : `/${path}`;
}

/** Appends the path and query to the base URL and refuses any result outside the base URL's origin and path prefix. */
function joinUrl(baseUrl: string, path: string, query: string[]): string {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const search = query.length === 0 ? '' : `${path.includes('?') ? '&' : '?'}${query.join('&')}`;
  const url = new URL(`${base.origin}${prefix}${path}${search}`);
  if (url.origin !== base.origin || !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) {
    throw new RequestError(`refused: the arguments would send the request outside ${base.origin}${prefix}`);
  }
  return url.href;
}

function buildBody(
  tool: ToolDefinition,
  binding: BodyBinding,
  args: { [name: string]: unknown },
): { content: string | Uint8Array<ArrayBuffer> | FormData; contentType?: string } | undefined {
  const properties = (tool.inputSchema.properties ?? {}) as { [name: string]: Schema };
  let value: unknown;
  let fieldSchema: (name: string) => Schema | undefined;
  if (binding.properties) {
    const given = binding.properties.filter((property) => boundValue(property, args) !== undefined);
    if (given.length === 0 && !binding.required) return undefined;
    value = Object.fromEntries(given.map((property) => [property.name, boundValue(property, args)]));
    fieldSchema = (name) => properties[binding.properties!.find((property) => property.name === name)?.argument ?? ''];
  } else if (binding.argument) {
    value = args[binding.argument];
    const argument = binding.argument;
    fieldSchema = (name) => (properties[argument]?.properties as { [name: string]: Schema } | undefined)?.[name];
  } else return undefined;
  if (value === undefined) return undefined;

  const mediaType = (fallback: string) => (binding.mediaType.includes('*') ? fallback : binding.mediaType);
  switch (binding.encoding) {
    case 'json':
      return { content: JSON.stringify(value), contentType: mediaType('application/json') };
    case 'text':
      return { content: typeof value === 'string' ? value : JSON.stringify(value), contentType: mediaType('text/plain') };
    case 'form': {
      const fields = isObject(value) ? Object.entries(value).flatMap(([name, item]) => encodedFormFields(name, item, binding.fields?.[name])) : [];
      const content = isObject(value) ? new URLSearchParams(fields).toString() : String(value);
      return { content, contentType: mediaType('application/x-www-form-urlencoded') };
    }
    case 'multipart':
      if (!isObject(value)) throw new RequestError(`${binding.argument ?? 'body'}: must be an object, sent as multipart form fields`);
      return { content: multipartBody(value, fieldSchema) };
    case 'binary': {
      const schema = binding.argument ? properties[binding.argument] : undefined;
      const content = typeof value === 'string' && isFile(schema) ? decodeBase64(binding.argument!, value) : String(value);
      return { content, contentType: mediaType('application/octet-stream') };
    }
  }
}

function multipartBody(value: { [name: string]: unknown }, fieldSchema: (name: string) => Schema | undefined): FormData {
  const form = new FormData();
  for (const [name, item] of Object.entries(value)) {
    const schema = fieldSchema(name);
    const parts = Array.isArray(item) ? item : [item];
    const partSchema = Array.isArray(item) ? (schema?.items as Schema | undefined) : schema;
    for (const part of parts) {
      if (part === undefined) continue;
      if (typeof part === 'string' && isFile(partSchema)) {
        const type = typeof partSchema?.contentMediaType === 'string' ? partSchema.contentMediaType : 'application/octet-stream';
        form.append(name, new Blob([decodeBase64(name, part)], { type }), name);
      } else form.append(name, typeof part === 'string' ? part : JSON.stringify(part));
    }
  }
  return form;
}

function isFile(schema: Schema | undefined): boolean {
  return schema?.contentEncoding === 'base64' || schema?.format === 'binary' || schema?.format === 'byte';
}

function decodeBase64(argument: string, text: string): Uint8Array<ArrayBuffer> {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) throw new RequestError(`${argument}: must be base64-encoded file content`);
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

function isObject(value: unknown): value is { [name: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
