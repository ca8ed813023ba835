import { applyCredential, selectCredentials } from './auth.js';
import type { Credential, Credentials } from './credentials.js';
import type { BodyBinding, HttpMethod, JsonValue, ParameterBinding, ToolDefinition } from './definition.js';
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
  checkValues(args, '', tool.inputSchema);
  args = pinArguments(tool, args, pinned);
  const headers: { [name: string]: string } = {};
  const query: string[] = [];
  const cookies: string[] = [];
  const selected = selectCredentials(tool.http.security, credentials) ?? [];
  for (const binding of tool.http.parameters) {
    const value = boundValue(binding, args);
    if (value === undefined || binding.in === 'path') continue;
    if (binding.in === 'query' || binding.in === 'cookie') checkObjectKeys(tool, binding, value, selected);
    if (binding.in === 'query') query.push(...serializeQueryParameter(binding, value));
    else if (binding.in === 'cookie') cookies.push(...serializeCookieParameter(binding, value));
    else headers[binding.name.toLowerCase()] = checkHeaderValue(binding.argument, serializeHeaderParameter(binding, value));
  }
  const body = tool.http.body ? buildBody(tool, tool.http.body, args) : undefined;
  if (body?.contentType) headers['content-type'] = body.contentType;
  for (const credential of selected) applyCredential(credential, { headers, query, cookies });
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

/**
 * Refuses values that cannot be sent as they are: non-finite numbers (`1e309` parses as Infinity), whole numbers
 * beyond ±(2^53 − 1) unless the schema says `number` (JSON parsing has already rounded them, so what would be
 * sent is not what the caller wrote), and strings with unpaired UTF-16 surrogates.
 */
function checkValues(value: unknown, path: string, schema: Schema | undefined): void {
  const at = path || 'arguments';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RequestError(`${at}: must be a finite number (got ${String(value)})`);
    const type = schema?.type;
    const floating = type === 'number' || (Array.isArray(type) && type.includes('number') && !type.includes('integer'));
    if (!floating && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new RequestError(
        `${at}: ${value} is beyond ±9007199254740991, so it cannot be represented exactly and may already have been rounded; it was not sent`,
      );
    }
  } else if (typeof value === 'string') {
    if (loneSurrogate.test(value)) throw new RequestError(`${at}: contains an unpaired UTF-16 surrogate, which is not valid text`);
  } else if (Array.isArray(value)) value.forEach((item, index) => checkValues(item, `${at}[${index}]`, subschema(schema?.items)));
  else if (value !== null && typeof value === 'object') {
    const properties = subschema(schema?.properties);
    for (const [key, item] of Object.entries(value)) {
      if (loneSurrogate.test(key)) throw new RequestError(`${at}: has a property name with an unpaired UTF-16 surrogate, which is not valid text`);
      checkValues(item, path ? `${path}.${key}` : key, properties && Object.hasOwn(properties, key) ? subschema(properties[key]) : undefined);
    }
  }
}

function subschema(value: unknown): Schema | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : undefined;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * An exploded object query or cookie parameter sends each key as a parameter of its own: no key may be the name of
 * another declared or pinned parameter, or of a credential the server adds, in the same place.
 */
function checkObjectKeys(tool: ToolDefinition, binding: ParameterBinding, value: unknown, credentials: Credential[]): void {
  if (!binding.explode || !isObject(value) || (binding.in === 'query' && binding.style !== 'form')) return;
  const taken = new Set<string>();
  for (const other of tool.http.parameters) if (other !== binding && other.in === binding.in) taken.add(other.name.toLowerCase());
  for (const credential of credentials) if (credential.type === 'apiKey' && credential.in === binding.in) taken.add(credential.name.toLowerCase());
  for (const key of Object.keys(value)) {
    const name = key.toLowerCase().replace(/\[.*$/, '');
    if (taken.has(name)) {
      throw new RequestError(
        `${binding.argument}: the key "${key}" is not allowed, because the server sends a ${binding.in} parameter named "${name}" itself; use the tool's own argument for it, or leave it out`,
      );
    }
  }
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
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
    if (isEmpty(value)) throw new RequestError(`${binding.argument}: must not be empty, because it fills {${name}} in the path ${tool.http.path}`);
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
    value = withPinned(args[binding.argument], binding.pinned);
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
      const fields = isObject(value) ? Object.entries(value).flatMap(([name, item]) => encodedFormFields(name, item, binding.fields && Object.hasOwn(binding.fields, name) ? binding.fields[name] : undefined)) : [];
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

/** A whole-body argument with its pinned properties set (a body that was not given stays absent). */
function withPinned(value: unknown, pinned: BodyBinding['pinned']): unknown {
  if (!pinned || pinned.length === 0 || value === undefined) return value;
  if (!isObject(value)) throw new RequestError('body: must be an object');
  const names = new Set(pinned.map((property) => property.name));
  return Object.fromEntries([...Object.entries(value).filter(([name]) => !names.has(name)), ...pinned.map((property): [string, unknown] => [property.name, property.value])]);
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
