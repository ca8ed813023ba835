import type { BodyBinding, BodyEncoding, JsonSchema } from '../../templates/runtime/definition.js';
import { describeField } from '../curate/describe.js';
import type { Diagnostic } from '../errors.js';
import { toArgumentName } from '../model/names.js';
import type { ApiModel, MediaTypeModel, OperationModel } from '../model/types.js';
import { createSchemaConverter, isPlainObjectSchema, type SchemaConverter, type SchemaDialect } from './json-schema.js';
import { encodingOf } from './media-types.js';

/** What a request body is built from: the model, its schema dialect, and where warnings go. */
export type BodyContext = { model: ApiModel; dialect: SchemaDialect; warnings: Diagnostic[] };

/** The input schema a tool's arguments are being added to, and how to take an argument name that is free. */
export type ArgumentSink = {
  properties: Record<string, JsonSchema>;
  required: string[];
  claim: (preferred: string, prefix: string) => string;
};

/**
 * Adds a request body to a tool's arguments: its properties lifted to top-level arguments where their names are
 * free, else one body argument; none for a GET or HEAD, which cannot carry one.
 */
export function buildBody(context: BodyContext, converter: SchemaConverter, operation: OperationModel, sink: ArgumentSink): BodyBinding | undefined {
  const requestBody = operation.requestBody;
  if (!requestBody) return undefined;
  if (operation.method === 'GET' || operation.method === 'HEAD') {
    // fetch() refuses a body on GET and HEAD, so a tool that sent one would fail on every call. Specs that
    // declare an optional, empty body on every GET (Stripe) lose nothing, and get no warning.
    const declared = requestBody.contents[0];
    const probe = declared && createSchemaConverter({ document: context.model.document, dialect: context.dialect, direction: 'input', maxDepth: 1 });
    const shape = probe ? probe.convert(declared.schema, declared.pointer) : {};
    const empty = Object.keys(shape).length === 0 || (isPlainObjectSchema(shape) && Object.keys(shape.properties as object).length === 0);
    if (empty && !requestBody.required) return undefined;
    context.warnings.push({
      code: 'body',
      file: context.model.source,
      pointer: requestBody.contents[0]?.pointer ?? operation.pointer,
      message: `${operation.key}: a ${operation.method} request cannot carry a body over fetch; the request body is left out of the tool`,
      help: 'If the API also accepts the body with POST, include that operation instead.',
    });
    return undefined;
  }
  const content = pickRequestContent(requestBody.contents);
  if (!content) {
    context.warnings.push({
      code: 'body',
      file: context.model.source,
      pointer: operation.pointer,
      message: `${operation.key}: the request body declares no media type; it is left out`,
    });
    return undefined;
  }
  const encoding = encodingOf(content.mediaType);
  const schema = wireBodySchema(encoding, content.mediaType, converter.convert(content.schema, content.pointer));
  const base = {
    mediaType: content.mediaType,
    encoding,
    required: requestBody.required,
    ...(encoding === 'form' && content.encoding ? { fields: content.encoding } : {}),
  };
  const liftable =
    (encoding === 'json' || encoding === 'form' || encoding === 'multipart') &&
    isPlainObjectSchema(schema) &&
    Object.keys(schema.properties as object).every((name) => toArgumentName(name) === name && !Object.hasOwn(sink.properties, name));
  if (liftable) {
    const bodyProperties = schema.properties as Record<string, JsonSchema>;
    const bodyRequired = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    for (const [name, propertySchema] of Object.entries(bodyProperties)) {
      sink.properties[name] = propertySchema;
      if (requestBody.required && bodyRequired.includes(name)) sink.required.push(name);
    }
    return { ...base, properties: Object.keys(bodyProperties).map((name) => ({ argument: name, name })) };
  }
  const argument = sink.claim('body', 'request');
  sink.properties[argument] =
    requestBody.description && schema.description === undefined ? { ...schema, description: describeField(requestBody.description) } : schema;
  if (requestBody.required) sink.required.push(argument);
  return { ...base, argument };
}

/**
 * The argument schema of a body that is sent as it is: text bodies (XML, NDJSON, YAML, ...) are a string the
 * model writes, whatever the spec says their structure is; other non-JSON bodies are bytes, given base64-encoded.
 */
function wireBodySchema(encoding: BodyEncoding, mediaType: string, schema: JsonSchema): JsonSchema {
  const description = typeof schema.description === 'string' ? `${schema.description} ` : '';
  if (encoding === 'text' && schema.type !== 'string') {
    return { type: 'string', description: `${description}(the request body, written as ${mediaType})` };
  }
  if (encoding === 'binary' && !(schema.type === 'string' && schema.contentEncoding === 'base64')) {
    return { type: 'string', description: `${description}(the request body as ${mediaType}, base64-encoded)`, contentEncoding: 'base64' };
  }
  return schema;
}

function pickRequestContent(contents: MediaTypeModel[]): MediaTypeModel | undefined {
  const rank = (mediaType: string): number => {
    const encoding = encodingOf(mediaType);
    return ['json', 'form', 'multipart', 'text', 'binary'].indexOf(encoding);
  };
  return [...contents].sort((a, b) => rank(a.mediaType) - rank(b.mediaType))[0];
}
