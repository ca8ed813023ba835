/**
 * The data shapes that describe a generated server: its tools, how each tool's arguments become an
 * HTTP request, and which upstream credentials it uses. Generated files hold only data of these types.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A self-contained JSON Schema 2020-12 document. */
export type JsonSchema = { [key: string]: JsonValue };

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'TRACE';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** @see https://spec.openapis.org/oas/v3.1.0#style-values */
export type ParameterStyle =
  | 'simple'
  | 'label'
  | 'matrix'
  | 'form'
  | 'spaceDelimited'
  | 'pipeDelimited'
  | 'deepObject';

/** A tool argument sent as a path, query, header or cookie parameter. */
export type ParameterBinding = {
  /** The argument's name in the tool's input schema. */
  argument: string;
  in: ParameterLocation;
  /** The parameter's name on the wire. */
  name: string;
  style: ParameterStyle;
  explode: boolean;
  /** Query values are sent without percent-encoding reserved characters. */
  allowReserved?: boolean;
  /**
   * A value pinned in toolwright.yaml: always sent, never taken from the arguments (the argument is not
   * in the input schema).
   */
  value?: JsonValue;
  /**
   * The environment variable whose value is always sent (pinned in toolwright.yaml with `value: { env }`);
   * the argument is not in the input schema and the value is treated as a secret.
   */
  env?: string;
};

export type BodyEncoding = 'json' | 'form' | 'multipart' | 'text' | 'binary';

/**
 * How the request body is assembled. Either one argument is the whole body (`argument`), or the
 * body is an object whose properties come from several arguments (`properties`).
 */
export type BodyBinding = {
  mediaType: string;
  encoding: BodyEncoding;
  required: boolean;
  argument?: string;
  /** Maps an argument name to the body property it fills; `value` pins it as for parameters. */
  properties?: { argument: string; name: string; value?: JsonValue; env?: string }[];
  /** Properties of a body given as one `argument` that are pinned in toolwright.yaml: always sent with these values. */
  pinned?: { name: string; value: JsonValue }[];
  /**
   * How fields of a form body are serialized, by body property, where the spec says (the OpenAPI
   * Encoding Object); other fields repeat their name for each array item and use `name[key]` for objects.
   */
  fields?: { [property: string]: FieldEncoding };
};

/** A form field's style and explode, from the OpenAPI Encoding Object. */
export type FieldEncoding = { style: 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject'; explode: boolean };

/** How an upstream JSON response becomes the tool's `structuredContent`. */
export type OutputBinding =
  /** The response is a JSON object and is returned as it is. */
  | { kind: 'object' }
  /** The response is any other JSON value and is returned as `{ [property]: value }`. */
  | { kind: 'wrapped'; property: string }
  /** No output schema: the response is returned as text only. */
  | { kind: 'none' };

export type HttpBinding = {
  method: HttpMethod;
  /** The path template relative to the base URL, e.g. `/pets/{petId}`. */
  path: string;
  parameters: ParameterBinding[];
  body?: BodyBinding;
  output: OutputBinding;
  /**
   * The operation's own server, a key of `ServerDefinition.baseUrls`; the server's base URL when absent.
   * The request never goes to another tool's host.
   */
  server?: string;
  /**
   * Alternative sets of security schemes, by name (OpenAPI security requirement semantics): the first
   * set whose credentials are all configured is used. An empty list means no authentication.
   */
  security: string[][];
};

export type ToolAnnotations = {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
};

export type ToolDefinition = {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: ToolAnnotations;
  http: HttpBinding;
  /**
   * The tool changes or deletes data and must not run before the user confirms: by elicitation where the
   * client supports it, otherwise by the boolean argument named here (present in the input schema).
   */
  confirmation?: { argument: string };
  /**
   * `strict`: a response that does not match the output schema is an error result. Otherwise (the default)
   * it is still returned: the parts that do not match leave the structured content and stay in the text.
   */
  outputValidation?: 'strict';
  /** Response fields kept, dropped or redacted on the server, before the result or any log sees them. */
  responseFields?: ResponseFields;
  /** Which arguments ask for the next page, when a response says there is one. */
  pagination?: PaginationBinding;
  /**
   * Arguments that a client profile made required and nullable: at these schema locations (JSON pointers
   * into `inputSchema`), null means "not sent".
   */
  nullMeansAbsent?: string[];
  /** Arguments that a client profile turned into JSON text (free-form objects): parsed before the request. */
  jsonTextArguments?: string[];
};

/**
 * Response fields selected in toolwright.yaml. Each entry is a property name (matching at any depth) or a
 * JSON pointer from the response body (`/owner/login`; arrays are passed through, `*` matches any key).
 */
export type ResponseFields = {
  /** Only these fields (and the objects that contain them) are returned. */
  keep?: string[];
  drop?: string[];
  /** Replaced by `[REDACTED]`. */
  redact?: string[];
};

/**
 * Where a next page goes: the arguments a `Link: rel="next"` URL's query parameters fill are found from the
 * query parameter bindings; cursors found in the response body go to the argument named for their kind.
 */
export type PaginationBinding = {
  /** `next_cursor`-style cursors (also Slack's `response_metadata.next_cursor`). */
  cursor?: string;
  /** `next_page_token`/`nextPageToken`. */
  pageToken?: string;
  /** Stripe-style lists: `has_more` with the last item's `id`. */
  startingAfter?: string;
  /** Kubernetes lists: `metadata.continue`. */
  continue?: string;
  /** The response may carry a `Link` header with `rel="next"`. */
  link?: boolean;
};

/** An upstream credential, read from the environment variables named here at start-up. */
export type SecurityScheme =
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; env: string }
  | {
      type: 'bearer';
      /** A ready-made token; used when the client credentials below are not configured. */
      env: string;
      /** OAuth 2.0 (or OpenID Connect) schemes: the token can be fetched with the client-credentials grant instead. */
      clientCredentials?: ClientCredentialsFlow;
    }
  | { type: 'basic'; usernameEnv: string; passwordEnv: string };

/**
 * How the server obtains its own access token with the OAuth 2.0 client-credentials grant.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export type ClientCredentialsFlow = {
  clientIdEnv: string;
  clientSecretEnv: string;
  /** Overrides the token endpoint (or, when only `discoveryUrl` is known, replaces discovery). */
  tokenUrlEnv: string;
  /** Overrides `scopes`: a space- or comma-separated list. */
  scopesEnv: string;
  /** The token endpoint of the spec's `clientCredentials` flow, absolute. */
  tokenUrl?: string;
  /** The OpenID Connect discovery document (`openIdConnectUrl`), whose `token_endpoint` is used when `tokenUrl` is absent. */
  discoveryUrl?: string;
  /** The scopes to request: those the server's tools need from this scheme. */
  scopes: string[];
};

/**
 * How a server offers its tools: each as a tool of its own (`tools`), all behind `search_tools`, `describe_tools`
 * and `call_tool` (`discovery`), or the core ones as tools plus those three (`hybrid`).
 */
export type ServerMode = 'tools' | 'discovery' | 'hybrid';

export type ServerDefinition = {
  name: string;
  version: string;
  /** Prefix of every environment variable the server reads, e.g. `PETSTORE`. */
  envPrefix: string;
  /** Guidance for the model on using these tools together, sent as the server's instructions. */
  instructions?: string;
  /** The spec's first server URL, used when `<PREFIX>_BASE_URL` is not set. */
  defaultBaseUrl?: string;
  securitySchemes: { [name: string]: SecurityScheme };
  /** Base URLs of operations that declare servers of their own, by name: read from `env`, else `defaultUrl`. */
  baseUrls?: { [name: string]: { env: string; defaultUrl?: string } };
  /** Environment variables that pinned arguments are read from; each must be set. */
  pinnedVariables?: string[];
  /** Default `tools`. */
  mode?: ServerMode;
  /** In `hybrid` mode, the tools listed as tools of their own. */
  coreTools?: string[];
};
