import type { Decisions, OperationDecision } from '../curate/select.js';
import { annotationsFor, applyArgumentSettings, needsConfirmation, withConfirmation, type ToolInput } from './apply-curation.js';
import type { Diagnostic } from '../errors.js';
import type { ApiModel } from '../model/types.js';
import { buildInput, type InputContext } from './build-input.js';
import { buildOutput, unmatchedResponseFields, type BuiltOutput, type OutputContext } from './build-output.js';
import type { SchemaDialect } from './json-schema.js';
import { compactOutputSchema, compactTranslationDepth, outputSchemaTokensOf } from './output-policy.js';
import { configVariableNames } from '../../templates/runtime/config.js';
import { httpVariableNames } from '../../templates/runtime/http-config.js';
import { applyProfiles } from './profiles.js';
import { outputPolicyOf, paginationOf, responseFieldsOf, shapeOutput, type OutputSettings } from './shape-output.js';
import { depthSteps, fitToBudget, schemaBudget } from './fit-budget.js';
import type { CatalogTool, ToolCatalog } from './types.js';
import { declaredScheme, nameOwnServers, resolveDeclaredAuth, runtimeSchemes, securityFor } from './upstream-bindings.js';

type CatalogContext = InputContext & OutputContext & { output?: OutputSettings };

/** Builds the tool catalog: one tool per included operation, with its schemas and HTTP binding. */
export function buildCatalog({ model, decisions, configFile = 'toolwright.yaml' }: { model: ApiModel; decisions: Decisions; configFile?: string }): {
  catalog: ToolCatalog;
  warnings: Diagnostic[];
} {
  const context: CatalogContext = {
    model,
    dialect: dialectOf(model),
    warnings: [],
    outputs: new Map(),
    extraSchemes: new Map(),
    ...(decisions.output ? { output: decisions.output } : {}),
    declared: resolveDeclaredAuth(model, decisions.upstreamAuth ?? [], configFile),
    keptArguments: new Map(
      decisions.operations.map((decision) => [
        decision.operation,
        new Set(Object.entries(decision.entry?.arguments ?? {}).flatMap(([name, setting]) => (setting.credential === false ? [name] : []))),
      ]),
    ),
  };
  for (const { auth } of context.declared) context.extraSchemes.set(auth.name, declaredScheme(auth));
  const included = decisions.operations.filter((decision) => decision.included);
  const ownServers = nameOwnServers(included.map((decision) => decision.operation));
  const built = included
    .map((decision) => buildTool(context, decision, configFile))
    .map((tool, index) => {
      const own = ownServers.byOperation.get(included[index]!.operation);
      return own ? { ...tool, http: { ...tool.http, server: own } } : tool;
    });
  const tools = applyProfiles({ tools: built, profiles: decisions.profiles ?? [], serverName: decisions.server.name, file: configFile }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const baseUrls = Object.fromEntries(
    [...ownServers.byName].map(([name, url]) => [name, { env: `${decisions.server.envPrefix}_${name.toUpperCase()}_BASE_URL`, defaultUrl: url }]),
  );
  if (tools.length > 0 && tools.every((tool) => tool.http.security.length === 0)) {
    context.warnings.push({
      code: 'no-upstream-auth',
      file: model.source,
      message: `none of the ${tools.length} tools sends an upstream credential: the spec declares none for them`,
      help: 'If the API or its gateway needs one, declare it under `upstreamAuth` in toolwright.yaml (bearer, apiKey, basic or oauth2).',
    });
  }
  const defaultBaseUrl = model.servers.find((server) => /^https?:\/\//i.test(server.url))?.url;
  const usedSchemes = new Set(tools.flatMap((tool) => tool.http.security.flat()));
  const pinnedVariables = [
    ...new Set(tools.flatMap((tool) => [...tool.http.parameters, ...(tool.http.body?.properties ?? [])].flatMap((binding) => (binding.env ? [binding.env] : [])))),
  ].sort();
  const envPrefix = decisions.server.envPrefix;
  const reserved = new Set([
    ...Object.values(configVariableNames(envPrefix)),
    ...Object.values(httpVariableNames(envPrefix)),
    ...Object.values(baseUrls).map(({ env }) => env),
    ...pinnedVariables,
  ]);
  const securitySchemes = runtimeSchemes(context, { decisions, usedSchemes, baseUrl: defaultBaseUrl, reserved, warnings: context.warnings });
  return {
    catalog: {
      api: { title: model.title, version: model.version },
      server: {
        name: decisions.server.name,
        version: decisions.server.version,
        envPrefix: decisions.server.envPrefix,
        ...(decisions.server.instructions ? { instructions: decisions.server.instructions } : {}),
        ...(defaultBaseUrl ? { defaultBaseUrl } : {}),
        securitySchemes,
        ...(Object.keys(baseUrls).length > 0 ? { baseUrls } : {}),
        ...(pinnedVariables.length > 0 ? { pinnedVariables } : {}),
      },
      tools,
    },
    warnings: context.warnings,
  };
}

function dialectOf(model: ApiModel): SchemaDialect {
  return model.specVersion === '2.0' ? 'swagger2' : model.specVersion === '3.0' ? 'openapi30' : 'openapi31';
}

function buildTool(context: CatalogContext, decision: OperationDecision, file: string): CatalogTool {
  const { operation } = decision;
  const built = fitToBudget('input', (maxDepth) => buildInput(context, operation, maxDepth));
  const policy = outputPolicyOf(context.output, decision.entry);
  const output = fitToBudget('output', (maxDepth): BuiltOutput => {
    if (policy === 'none') return { binding: { kind: 'none' }, warnings: [] };
    const full = buildOutput(context, operation, policy === 'compact' ? Math.min(maxDepth, compactTranslationDepth) : maxDepth);
    if (policy !== 'compact' || !full.schema) return full;
    const tokens = outputSchemaTokensOf(context.output, decision.entry);
    return { ...full, schema: compactOutputSchema(full.schema, { wrappedProperty: full.binding.kind === 'wrapped' ? full.binding.property : undefined, tokens, description: decision.description }) };
  });
  const warn = (pointer: string, message: string): void => {
    context.warnings.push({ code: 'schema', file: context.model.source, pointer, message: `${decision.name}: ${message}` });
  };
  for (const warning of [...built.warnings, ...output.warnings]) warn(operation.pointer, warning);
  if (built.depth !== depthSteps.input[0]) {
    warn(operation.pointer, `the input schema is large; nested schemas below ${built.depth} levels are left open (${Math.round(built.bytes / 1024)} KB)`);
  }
  const keepOutput = output.schema !== undefined && output.fits;
  if (output.schema !== undefined && !output.fits) {
    warn(operation.pointer, `the output schema is over ${schemaBudget.output / 1024} KB even when cut short; the tool returns text without an output schema`);
  }
  if (decision.entry?.responseFields) {
    for (const selector of unmatchedResponseFields(context, operation, decision.entry.responseFields)) {
      warn(operation.pointer, `responseFields "${selector}" matches no field of the response schema; check its spelling (names and pointers match exactly)`);
    }
  }
  const curated = applyArgumentSettings(built, decision, file);
  const input: ToolInput & { confirmation?: { argument: string } } = needsConfirmation(decision) ? withConfirmation(curated) : curated;
  const shaped = shapeOutput({
    schema: keepOutput ? output.schema : undefined,
    binding: keepOutput ? output.binding : { kind: 'none' },
    fields: responseFieldsOf(context.output, decision.entry),
    pagination: paginationOf(input.parameters),
    validation: decision.entry?.outputValidation ?? context.output?.outputValidation,
  });
  return {
    name: decision.name,
    title: decision.title,
    description: decision.description,
    inputSchema: input.schema,
    ...(shaped.outputSchema ? { outputSchema: shaped.outputSchema } : {}),
    annotations: annotationsFor(decision.risk, operation.method, decision.entry?.annotations),
    http: {
      method: operation.method,
      path: operation.path,
      parameters: input.parameters,
      ...(input.body ? { body: input.body } : {}),
      output: shaped.binding,
      security: securityFor(context, operation),
    },
    ...(input.confirmation ? { confirmation: input.confirmation } : {}),
    ...(shaped.outputValidation ? { outputValidation: shaped.outputValidation } : {}),
    ...(shaped.responseFields ? { responseFields: shaped.responseFields } : {}),
    ...(shaped.pagination ? { pagination: shaped.pagination } : {}),
    risk: {
      class: decision.risk.class,
      ...(decision.risk.sensitivities.length > 0 ? { sensitivities: decision.risk.sensitivities } : {}),
      reasons: decision.risk.reasons,
    },
    source: {
      method: operation.method,
      path: operation.path,
      ...(operation.operationId ? { operationId: operation.operationId } : {}),
      ...(decision.proposed.deprecated ? { deprecated: true } : {}),
      ...(operation.summary ? { summary: operation.summary } : {}),
      ...(operation.description ? { description: operation.description } : {}),
    },
  };
}
