import { toPointer } from '../errors.js';
import { asArray, asObject, deref, optionalText, type BuildContext, type Json } from './build-context.js';
import type {
  FieldEncoding,
  HttpMethod,
  MediaTypeModel,
  OperationModel,
  ParameterLocation,
  ParameterModel,
  ParameterStyle,
  RequestBodyModel,
  ResponseModel,
  SecurityRequirement,
} from './types.js';

const parameterLocations: readonly ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
const swaggerSchemaKeywords = [
  'type', 'format', 'items', 'enum', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'x-nullable',
] as const;

/** Where an operation sits in the document: its path and method, the path item's shared parameters and both pointers. */
export type OperationInput = {
  path: string;
  method: HttpMethod;
  operation: Json;
  shared: unknown[];
  pointer: string;
  pathPointer: string;
};

/** One operation of the document as the model has it: parameters, request body, responses and security. */
export function buildOperation(context: BuildContext, input: OperationInput): OperationModel {
  const { operation, pointer } = input;
  const isSwagger = context.spec.version === '2.0';
  const rawParameters = mergeParameters(context, input);
  const parameters: ParameterModel[] = [];
  const bodyParameters: { parameter: Json; pointer: string }[] = [];
  for (const { parameter, pointer: parameterPointer } of rawParameters) {
    const location = parameter.in;
    if (isSwagger && (location === 'body' || location === 'formData')) {
      bodyParameters.push({ parameter, pointer: parameterPointer });
    } else if (parameterLocations.includes(location as ParameterLocation)) {
      parameters.push(buildParameter(context, parameter, parameterPointer));
    } else {
      context.warn(parameterPointer, `parameter "${String(parameter.name)}" has an unknown location "${String(location)}"; it is left out`);
    }
  }
  const requestBody = isSwagger
    ? swaggerRequestBody(context, operation, bodyParameters)
    : openApiRequestBody(context, operation.requestBody, `${pointer}/requestBody`);
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(operation)) if (key.startsWith('x-')) extensions[key] = value;
  return {
    key: `${input.method} ${input.path}`,
    method: input.method,
    path: input.path,
    operationId: typeof operation.operationId === 'string' && operation.operationId.trim() ? operation.operationId.trim() : undefined,
    summary: optionalText(operation.summary),
    description: optionalText(operation.description),
    tags: asArray(operation.tags).filter((tag): tag is string => typeof tag === 'string'),
    deprecated: operation.deprecated === true,
    parameters,
    requestBody,
    responses: buildResponses(context, operation, pointer),
    security: buildSecurity(operation.security ?? context.document.security),
    extensions,
    pointer,
  };
}

function mergeParameters(context: BuildContext, input: OperationInput): { parameter: Json; pointer: string }[] {
  const merged = new Map<string, { parameter: Json; pointer: string }>();
  const add = (list: unknown[], base: string): void => {
    list.forEach((raw, index) => {
      const parameter = asObject(deref(context, raw));
      merged.set(`${String(parameter.in)}:${String(parameter.name)}`, { parameter, pointer: `${base}/parameters/${index}` });
    });
  };
  add(input.shared, input.pathPointer);
  add(asArray(input.operation.parameters), input.pointer);
  return [...merged.values()];
}

function buildParameter(context: BuildContext, parameter: Json, pointer: string): ParameterModel {
  const location = parameter.in as ParameterLocation;
  const isSwagger = context.spec.version === '2.0';
  let schema: unknown;
  let style: ParameterStyle;
  let explode: boolean;
  if (isSwagger) {
    schema = swaggerParameterSchema(parameter);
    ({ style, explode } = swaggerCollectionStyle(context, parameter, pointer));
  } else {
    schema = parameter.schema ?? firstContentSchema(parameter.content) ?? {};
    style = (typeof parameter.style === 'string' ? parameter.style : defaultStyle(location)) as ParameterStyle;
    explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
  }
  return {
    name: String(parameter.name),
    in: location,
    required: location === 'path' || parameter.required === true,
    description: optionalText(parameter.description),
    deprecated: parameter.deprecated === true,
    schema,
    style,
    explode,
    allowReserved: parameter.allowReserved === true,
    pointer,
  };
}

function defaultStyle(location: ParameterLocation): ParameterStyle {
  return location === 'query' || location === 'cookie' ? 'form' : 'simple';
}

function swaggerParameterSchema(parameter: Json): Json {
  const schema: Json = {};
  for (const keyword of swaggerSchemaKeywords) {
    if (parameter[keyword] !== undefined) schema[keyword] = parameter[keyword];
  }
  if (typeof parameter.description === 'string') schema.description = parameter.description;
  return schema;
}

function swaggerCollectionStyle(context: BuildContext, parameter: Json, pointer: string): { style: ParameterStyle; explode: boolean } {
  const location = parameter.in as ParameterLocation;
  const format = typeof parameter.collectionFormat === 'string' ? parameter.collectionFormat : 'csv';
  if (location !== 'query' || format === 'csv') return { style: defaultStyle(location), explode: false };
  if (format === 'multi') return { style: 'form', explode: true };
  if (format === 'ssv') return { style: 'spaceDelimited', explode: false };
  if (format === 'pipes') return { style: 'pipeDelimited', explode: false };
  context.warn(pointer, `collectionFormat "${format}" is not supported; values are sent comma-separated`);
  return { style: 'form', explode: false };
}

function firstContentSchema(content: unknown): unknown {
  const first = Object.values(asObject(content))[0];
  return first === undefined ? undefined : asObject(first).schema;
}

function openApiRequestBody(context: BuildContext, raw: unknown, pointer: string): RequestBodyModel | undefined {
  if (raw === undefined) return undefined;
  const body = asObject(deref(context, raw));
  return {
    required: body.required === true,
    description: optionalText(body.description),
    contents: mediaTypes(body.content, `${pointer}/content`),
  };
}

function swaggerRequestBody(
  context: BuildContext,
  operation: Json,
  bodyParameters: { parameter: Json; pointer: string }[],
): RequestBodyModel | undefined {
  if (bodyParameters.length === 0) return undefined;
  const consumes = asArray(operation.consumes ?? context.document.consumes).filter((m): m is string => typeof m === 'string');
  const body = bodyParameters.find(({ parameter }) => parameter.in === 'body');
  if (body) {
    const mediaTypesDeclared = consumes.length > 0 ? consumes : ['application/json'];
    return {
      required: body.parameter.required === true,
      description: optionalText(body.parameter.description),
      contents: mediaTypesDeclared.map((mediaType) => ({ mediaType, schema: body.parameter.schema ?? {}, pointer: `${body.pointer}/schema` })),
    };
  }
  const properties: Json = {};
  const required: string[] = [];
  let hasFile = false;
  for (const { parameter } of bodyParameters) {
    const name = String(parameter.name);
    properties[name] = swaggerParameterSchema(parameter);
    if (parameter.type === 'file') hasFile = true;
    if (parameter.required === true) required.push(name);
  }
  const mediaType =
    hasFile || consumes.includes('multipart/form-data') && !consumes.includes('application/x-www-form-urlencoded')
      ? 'multipart/form-data'
      : 'application/x-www-form-urlencoded';
  const schema: Json = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
  return {
    required: required.length > 0,
    contents: [{ mediaType, schema, pointer: bodyParameters[0]!.pointer }],
  };
}

function buildResponses(context: BuildContext, operation: Json, pointer: string): ResponseModel[] {
  const produces = asArray(operation.produces ?? context.document.produces).filter((m): m is string => typeof m === 'string');
  return Object.entries(asObject(operation.responses)).map(([status, raw]) => {
    const response = asObject(deref(context, raw));
    const responsePointer = `${pointer}${toPointer(['responses', status])}`;
    let contents: MediaTypeModel[];
    if (context.spec.version === '2.0') {
      contents =
        response.schema === undefined
          ? []
          : (produces.length > 0 ? produces : ['application/json']).map((mediaType) => ({
              mediaType,
              schema: response.schema,
              pointer: `${responsePointer}/schema`,
            }));
    } else {
      contents = mediaTypes(response.content, `${responsePointer}/content`);
    }
    return { status, description: optionalText(response.description), contents };
  });
}

function mediaTypes(content: unknown, pointer: string): MediaTypeModel[] {
  return Object.entries(asObject(content)).map(([mediaType, value]) => {
    const encoding = fieldEncodings(asObject(value).encoding);
    return {
      mediaType,
      schema: asObject(value).schema ?? {},
      pointer: `${pointer}${toPointer([mediaType, 'schema'])}`,
      ...(encoding ? { encoding } : {}),
    };
  });
}

const fieldStyles = new Set(['form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);

/** The style and explode of each form field that the Encoding Object sets; defaults are form and explode. */
function fieldEncodings(raw: unknown): Record<string, FieldEncoding> | undefined {
  const entries = Object.entries(asObject(raw)).flatMap(([property, value]): [string, FieldEncoding][] => {
    const encoding = asObject(value);
    if (encoding.style === undefined && encoding.explode === undefined) return [];
    const style = fieldStyles.has(String(encoding.style)) ? (encoding.style as FieldEncoding['style']) : 'form';
    return [[property, { style, explode: typeof encoding.explode === 'boolean' ? encoding.explode : style === 'form' }]];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function buildSecurity(raw: unknown): SecurityRequirement[] {
  return asArray(raw).map((requirement) =>
    Object.entries(asObject(requirement)).map(([scheme, scopes]) => ({
      scheme,
      scopes: asArray(scopes).filter((scope): scope is string => typeof scope === 'string'),
    })),
  );
}
