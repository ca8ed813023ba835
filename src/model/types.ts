import type { FieldEncoding, HttpMethod, ParameterLocation, ParameterStyle } from '../../templates/runtime/definition.js';
import type { SpecVersion } from '../load/parse-spec.js';

export type { FieldEncoding, HttpMethod, ParameterLocation, ParameterStyle };

/** A raw OpenAPI/Swagger schema object as the spec wrote it; `$ref`s are local pointers into the document. */
export type RawSchema = unknown;

export type ParameterModel = {
  name: string;
  in: ParameterLocation;
  required: boolean;
  description?: string;
  deprecated: boolean;
  schema: RawSchema;
  style: ParameterStyle;
  explode: boolean;
  allowReserved: boolean;
  /** JSON pointer of the parameter in the document. */
  pointer: string;
};

export type MediaTypeModel = {
  mediaType: string;
  schema: RawSchema;
  pointer: string;
  /** How form fields are serialized, by body property (the OpenAPI Encoding Object). */
  encoding?: Record<string, FieldEncoding>;
};

export type RequestBodyModel = {
  required: boolean;
  description?: string;
  contents: MediaTypeModel[];
};

export type ResponseModel = {
  /** `200`, `2XX`, `default`, ... */
  status: string;
  description?: string;
  contents: MediaTypeModel[];
};

/** One alternative of an OpenAPI security requirement: every scheme named must be satisfied. */
export type SecurityRequirement = { scheme: string; scopes: string[] }[];

export type SecuritySchemeModel =
  | { name: string; type: 'apiKey'; in: 'header' | 'query' | 'cookie'; parameterName: string; description?: string }
  | { name: string; type: 'http'; scheme: string; bearerFormat?: string; description?: string }
  | { name: string; type: 'oauth2'; flows: Record<string, unknown>; description?: string }
  | { name: string; type: 'openIdConnect'; openIdConnectUrl: string; description?: string }
  | { name: string; type: 'mutualTLS'; description?: string };

export type OperationModel = {
  /** `METHOD /path`, unique within the document. */
  key: string;
  method: HttpMethod;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: ParameterModel[];
  requestBody?: RequestBodyModel;
  responses: ResponseModel[];
  security: SecurityRequirement[];
  extensions: Record<string, unknown>;
  pointer: string;
  /** The operation's (or its path item's) own servers, when they differ from the document's. */
  servers?: ServerModel[];
};

export type ServerModel = {
  /** The URL with every variable replaced by its default. */
  url: string;
  description?: string;
};

/** Everything the later stages need to know about an API, independent of the spec's version. */
export type ApiModel = {
  source: string;
  specVersion: SpecVersion;
  title: string;
  version: string;
  description?: string;
  servers: ServerModel[];
  operations: OperationModel[];
  securitySchemes: Record<string, SecuritySchemeModel>;
  /** The bundled document, for resolving the `$ref`s left in raw schemas. */
  document: Record<string, unknown>;
};
