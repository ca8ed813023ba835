import type { BodyBinding, JsonSchema, ParameterBinding } from '../../templates/runtime/definition.js';
import { describeField } from '../curate/describe.js';
import { shortHash, toArgumentName } from '../model/names.js';
import type { OperationModel, ParameterModel } from '../model/types.js';
import { buildBody, type BodyContext } from './build-body.js';
import { createSchemaConverter, type SchemaConverter } from './json-schema.js';
import { credentialParametersOf, type UpstreamContext } from './upstream-bindings.js';

const locationOrder = ['path', 'query', 'header', 'cookie'] as const;
/** Header parameters that OpenAPI says are ignored: the runtime sets them itself. */
const reservedHeaders = new Set(['accept', 'content-type', 'authorization']);

/** What a tool's input is built from: the upstream bindings (to leave credential parameters out) and the body's context. */
export type InputContext = UpstreamContext & BodyContext;

/** A tool's input schema, with how each argument reaches the request, before toolwright.yaml's argument settings. */
export type BuiltInput = { schema: JsonSchema; parameters: ParameterBinding[]; body?: BodyBinding; warnings: string[] };

/** Builds a tool's input from its operation's parameters and request body, with nested schemas cut at `maxDepth`. */
export function buildInput(context: InputContext, operation: OperationModel, maxDepth: number): BuiltInput {
  const converter = createSchemaConverter({ document: context.model.document, dialect: context.dialect, direction: 'input', maxDepth, shared: true });
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const parameters: ParameterBinding[] = [];
  const claim = (preferred: string, prefix: string): string => {
    let name = preferred;
    if (Object.hasOwn(properties, name)) name = toArgumentName(`${prefix}_${preferred}`);
    if (Object.hasOwn(properties, name)) name = `${name}_${shortHash(`${prefix}:${preferred}`)}`;
    return name;
  };
  const credentialParameters = credentialParametersOf(context, operation);
  const argumentParameters = sortParameters(operation.parameters).filter(
    (parameter) =>
      !(parameter.in === 'header' && reservedHeaders.has(parameter.name.toLowerCase())) &&
      !credentialParameters.has(`${parameter.in}:${parameter.name.toLowerCase()}`),
  );
  // Parameters whose names map to the same argument name: the one spelled exactly so keeps it (then path,
  // query, header, cookie; then the wire name), the others take their location as a prefix. The rule reads
  // only the names, so the result does not depend on the order of parameters in the spec.
  const argumentNames = new Map<ParameterModel, string>();
  const rank = (parameter: ParameterModel): string =>
    `${parameter.name === toArgumentName(parameter.name) ? 0 : 1}${locationOrder.indexOf(parameter.in as (typeof locationOrder)[number])}${parameter.name}`;
  const byCandidate = new Map<string, ParameterModel[]>();
  for (const parameter of argumentParameters) {
    const candidate = toArgumentName(parameter.name);
    byCandidate.set(candidate, [...(byCandidate.get(candidate) ?? []), parameter]);
  }
  for (const [candidate, group] of byCandidate) {
    const [first, ...others] = [...group].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
    argumentNames.set(first!, candidate);
    for (const parameter of others) {
      const prefixed = toArgumentName(`${parameter.in}_${candidate}`);
      const taken = byCandidate.has(prefixed) || others.some((other) => other !== parameter && other.in === parameter.in);
      argumentNames.set(parameter, taken ? `${prefixed}_${shortHash(`${parameter.in}:${parameter.name}`)}` : prefixed);
    }
  }
  for (const parameter of argumentParameters) {
    const argument = argumentNames.get(parameter)!;
    properties[argument] = parameterSchema(converter, parameter);
    if (parameter.required) required.push(argument);
    parameters.push({
      argument,
      in: parameter.in,
      name: parameter.name,
      style: parameter.style,
      explode: parameter.explode,
      ...(parameter.allowReserved ? { allowReserved: true } : {}),
    });
  }
  const body = buildBody(context, converter, operation, { properties, required, claim });
  const defs = converter.defs();
  const schema: JsonSchema = {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    ...(defs ? { $defs: defs } : {}),
  };
  return { schema, parameters, ...(body ? { body } : {}), warnings: converter.warnings() };
}

function sortParameters(parameters: ParameterModel[]): ParameterModel[] {
  return locationOrder.flatMap((location) => parameters.filter((parameter) => parameter.in === location));
}

function parameterSchema(converter: SchemaConverter, parameter: ParameterModel): JsonSchema {
  const schema = converter.convert(parameter.schema, `${parameter.pointer}/schema`);
  const extras: JsonSchema = {};
  if (parameter.description && schema.description === undefined) extras.description = describeField(parameter.description);
  if (parameter.deprecated && schema.deprecated === undefined) extras.deprecated = true;
  // An empty path value would address a different endpoint (`DELETE /items/` instead of `/items/{id}`).
  if (parameter.in === 'path' && allowsString(schema) && !(typeof schema.minLength === 'number' && schema.minLength >= 1)) extras.minLength = 1;
  return Object.keys(extras).length > 0 ? { ...schema, ...extras } : schema;
}

function allowsString(schema: JsonSchema): boolean {
  return schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'));
}
