import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { BodyBinding, JsonSchema, JsonValue, ParameterBinding, ToolAnnotations } from '../../templates/runtime/definition.js';
import type { ArgumentSettings } from '../curate/config-file.js';
import type { OperationDecision } from '../curate/select.js';
import { UserError } from '../errors.js';
import type { Risk } from '../model/classify.js';
import type { HttpMethod } from '../model/types.js';

/** A tool's arguments as the catalog builds them: the input schema and where each argument goes. */
export type ToolInput = { schema: JsonSchema; parameters: ParameterBinding[]; body?: BodyBinding };

/** Checks pinned values against their schemas; loaded when a value is pinned (most tools pin none). */
let ajv: Ajv2020 | undefined;

/**
 * Applies what toolwright.yaml says about a tool's arguments: hidden ones leave the schema and are never
 * sent; pinned ones leave the schema and are always sent with their value; the rest may get a better
 * description, a narrower enum or tighter bounds. Loosening what the spec allows is an error.
 */
export function applyArgumentSettings(input: ToolInput, decision: OperationDecision, file: string): ToolInput {
  const settings = decision.entry?.arguments ?? {};
  if (Object.keys(settings).length === 0) return input;
  const properties = { ...(input.schema.properties as Record<string, JsonSchema>) };
  let required = [...((input.schema.required as string[] | undefined) ?? [])];
  let parameters = input.parameters;
  let body = input.body;
  const defs = input.schema.$defs as Record<string, JsonSchema> | undefined;

  for (const [name, setting] of Object.entries(settings)) {
    const fail = (message: string, help?: string): never => {
      throw new UserError({ code: 'config-argument', file, line: setting.line, message: `${decision.name}: argument "${name}" ${message}`, help });
    };
    const schema = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (!schema && body?.argument && name.startsWith(`${body.argument}.`) && setting.pinned) {
      const pinned = pinBodyProperty({ properties, body, name, value: setting.pinned.value, defs, fail });
      body = pinned.body;
      properties[body.argument!] = pinned.schema;
      continue;
    }
    if (!schema) {
      const bodyHint = body?.argument ? ` A property of the request body "${body.argument}" can be pinned as "${body.argument}.<property>".` : '';
      fail('does not exist', `The tool's arguments are: ${Object.keys(properties).join(', ') || '(none)'}.${bodyHint}`);
      continue;
    }
    if (setting.pinnedEnv) {
      if (setting.hidden) fail('cannot be both hidden and pinned', 'Keep `value` to send a fixed value, or `hidden` to send nothing.');
      if (body?.argument === name) fail('is the whole request body, which cannot be pinned', 'Pin its properties instead.');
      const env = setting.pinnedEnv;
      delete properties[name];
      required = required.filter((argument) => argument !== name);
      parameters = parameters.map((binding) => (binding.argument === name ? { ...binding, env } : binding));
      if (body?.properties) body = { ...body, properties: body.properties.map((property) => (property.argument === name ? { ...property, env } : property)) };
      continue;
    }
    if (setting.hidden && setting.pinned) fail('cannot be both hidden and pinned', 'Keep `value` to send a fixed value, or `hidden` to send nothing.');
    if (setting.hidden || setting.pinned) {
      if (setting.hidden && required.includes(name)) fail('is required, so it cannot be hidden', 'Pin it to a value with `value:` instead.');
      if (body?.argument === name) fail('is the whole request body, which cannot be hidden or pinned', 'Pin or hide its properties instead.');
      if (setting.pinned) checkValue(setting.pinned.value, schema, defs, (problem) => fail(`cannot be pinned to ${JSON.stringify(setting.pinned!.value)}: ${problem}`));
      delete properties[name];
      required = required.filter((argument) => argument !== name);
      const pinned = setting.pinned;
      parameters = pinned
        ? parameters.map((binding) => (binding.argument === name ? { ...binding, value: pinned.value } : binding))
        : parameters.filter((binding) => binding.argument !== name);
      if (body?.properties) {
        body = {
          ...body,
          properties: pinned
            ? body.properties.map((property) => (property.argument === name ? { ...property, value: pinned.value } : property))
            : body.properties.filter((property) => property.argument !== name),
        };
      }
      continue;
    }
    properties[name] = narrowSchema(schema, setting, defs, fail);
  }
  const schema: JsonSchema = { ...input.schema, properties };
  if (required.length > 0) schema.required = required;
  else delete schema.required;
  return { schema, parameters, ...(body ? { body } : {}) };
}

/**
 * Pins one top-level property of a body that is a single argument (`body.tenant`): it leaves that argument's
 * schema and is always sent with its value, e.g. next to a pinned query parameter of the same name.
 */
function pinBodyProperty({
  properties,
  body,
  name,
  value,
  defs,
  fail,
}: {
  properties: Record<string, JsonSchema>;
  body: BodyBinding;
  name: string;
  value: JsonValue;
  defs: Record<string, JsonSchema> | undefined;
  fail: (message: string, help?: string) => never;
}): { body: BodyBinding; schema: JsonSchema } {
  const argument = body.argument!;
  const property = name.slice(argument.length + 1);
  const schema = properties[argument]!;
  const bodyProperties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  if (!Object.hasOwn(bodyProperties, property)) {
    fail(`is not a property of the request body "${argument}"`, `The properties of "${argument}" are: ${Object.keys(bodyProperties).join(', ') || '(none)'}.`);
  }
  checkValue(value, bodyProperties[property]!, defs, (problem) => fail(`cannot be pinned to ${JSON.stringify(value)}: ${problem}`));
  const { [property]: _pinned, ...rest } = bodyProperties;
  const required = Array.isArray(schema.required) ? (schema.required as string[]).filter((item) => item !== property) : undefined;
  const narrowed: JsonSchema = { ...schema, properties: rest };
  if (required && required.length > 0) narrowed.required = required;
  else delete narrowed.required;
  return { body: { ...body, pinned: [...(body.pinned ?? []), { name: property, value }] }, schema: narrowed };
}

function narrowSchema(schema: JsonSchema, setting: ArgumentSettings, defs: Record<string, JsonSchema> | undefined, fail: (message: string, help?: string) => never): JsonSchema {
  const narrowed: JsonSchema = { ...schema };
  if (setting.description) narrowed.description = setting.description;
  if (setting.enum) {
    const allowed = Array.isArray(schema.enum) ? schema.enum.map((value) => JSON.stringify(value)) : undefined;
    for (const value of setting.enum) {
      if (allowed && !allowed.includes(JSON.stringify(value))) fail(`cannot allow ${JSON.stringify(value)}: the spec allows only ${allowed.join(', ')}`);
      checkValue(value, schema, defs, (problem) => fail(`cannot allow ${JSON.stringify(value)}: ${problem}`));
    }
    narrowed.enum = setting.enum;
  }
  const tighten = (keyword: 'minimum' | 'maximum' | 'maxLength' | 'maxItems', value: number | undefined): void => {
    if (value === undefined) return;
    const current = schema[keyword];
    const looser = typeof current === 'number' && (keyword === 'minimum' ? value < current : value > current);
    if (looser) fail(`cannot have ${keyword} ${value}: the spec already sets ${keyword} ${current}`, 'toolwright.yaml can only narrow what the spec allows.');
    narrowed[keyword] = value;
  };
  tighten('minimum', setting.minimum);
  tighten('maximum', setting.maximum);
  tighten('maxLength', setting.maxLength);
  tighten('maxItems', setting.maxItems);
  return narrowed;
}

function checkValue(value: JsonValue, schema: JsonSchema, defs: Record<string, JsonSchema> | undefined, fail: (problem: string) => void): void {
  ajv ??= new (createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  const validate = ajv.compile(defs ? { ...schema, $defs: defs } : schema);
  if (!validate(value)) fail(ajv.errorsText(validate.errors, { dataVar: 'the value' }));
}

/**
 * The four annotation hints, from the risk class and method, with toolwright.yaml's overrides on top. A
 * search over POST is read-only; nothing that runs code, issues credentials or reveals secrets is.
 */
export function annotationsFor(risk: Risk, method: HttpMethod, overrides: Partial<ToolAnnotations> = {}): ToolAnnotations {
  const readMethod = method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE';
  const unsafe = risk.sensitivities.includes('code-execution') || risk.sensitivities.includes('credentials');
  const readOnly = !unsafe && risk.class !== 'destructive' && (readMethod || risk.class === 'read');
  return {
    readOnlyHint: readOnly,
    destructiveHint: risk.destructive,
    idempotentHint: readOnly || method === 'PUT' || method === 'DELETE',
    openWorldHint: true,
    ...overrides,
  };
}

/** Whether the tool must be confirmed before it runs: destructive ones unless toolwright.yaml says otherwise. */
export function needsConfirmation(decision: OperationDecision): boolean {
  return decision.entry?.confirm ?? decision.risk.destructive;
}

/** Adds the argument a destructive tool takes for confirmation when the client cannot be asked. */
export function withConfirmation(input: ToolInput): ToolInput & { confirmation: { argument: string } } {
  const properties = input.schema.properties as Record<string, JsonSchema>;
  const argument = 'confirm' in properties ? 'confirm_action' : 'confirm';
  return {
    ...input,
    confirmation: { argument },
    schema: {
      ...input.schema,
      properties: {
        ...properties,
        [argument]: {
          type: 'boolean',
          description:
            'This action cannot be undone. Set to true only after the user has explicitly agreed to it; the server may also ask the user directly.',
        },
      },
    },
  };
}
