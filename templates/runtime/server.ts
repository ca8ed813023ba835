import { McpServer, fromJsonSchema, type JsonSchemaType, type jsonSchemaValidator } from '@modelcontextprotocol/server';
import { redactArguments } from './audit.js';
import { callTool } from './call-tool.js';
import { metricsOf } from './metrics.js';
import type { ToolDefinition } from './definition.js';
import { listedTools, registerDiscoveryTools } from './discovery.js';
import type { Runtime } from './runtime.js';
import { schemaValidator } from './validation.js';

/**
 * Builds an MCP server that lists the runtime's tools and answers each call with a request to the upstream API.
 * `caller` names who is calling (from inbound authentication) for the audit log.
 */
export function buildServer(runtime: Runtime, caller?: string): McpServer {
  const { serverDefinition } = runtime;
  const server = new McpServer(
    { name: serverDefinition.name, version: serverDefinition.version },
    {
      cacheHints: { 'tools/list': { ttlMs: 300_000, cacheScope: 'public' } },
      ...(serverDefinition.instructions ? { instructions: serverDefinition.instructions } : {}),
    },
  );
  useNullPrototypeRegistries(server);
  for (const tool of listedTools(runtime)) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: fromJsonSchema(tool.inputSchema as JsonSchemaType, auditedValidator(runtime, tool, caller)),
        ...(tool.outputSchema ? { outputSchema: fromJsonSchema(tool.outputSchema as JsonSchemaType, schemaValidator) } : {}),
        annotations: tool.annotations,
      },
      (args, ctx) => callTool(runtime, { tool, args: (args ?? {}) as { [name: string]: unknown }, ctx, server, ...(caller ? { caller } : {}) }),
    );
  }
  registerDiscoveryTools(server, runtime, { ...(caller ? { caller } : {}), validatorFor: (tool) => auditedValidator(runtime, tool, caller) });
  return server;
}

/** The argument validator of one tool: {@link schemaValidator}, plus an audit line for every call it rejects. */
function auditedValidator(runtime: Runtime, tool: ToolDefinition, caller: string | undefined): jsonSchemaValidator {
  return {
    getValidator<T>(schema: JsonSchemaType) {
      const validate = schemaValidator.getValidator<T>(schema);
      return (input: unknown) => {
        const result = validate(input);
        if (!result.valid) {
          runtime.audit({
            tool: tool.name,
            ...(caller ? { caller } : {}),
            arguments: input !== null && typeof input === 'object' ? redactArguments(input as { [name: string]: unknown }, tool.inputSchema, runtime.redact) : input,
            method: tool.http.method,
            path: tool.http.path,
            durationMs: 0,
            outcome: 'invalid_arguments',
          });
          metricsOf(runtime, runtime.serverDefinition).recordCall({ tool: tool.name, outcome: 'invalid_arguments', isError: true, durationMs: 0 });
        }
        return result;
      };
    },
  };
}

/**
 * The SDK keeps tools in plain objects keyed by name, where `constructor`, `toString` or `__proto__` would find
 * Object.prototype members (and fail registration of every tool): give those maps no prototype.
 */
function useNullPrototypeRegistries(server: McpServer): void {
  const internals = server as unknown as { [field: string]: unknown };
  for (const field of ['_registeredTools', '_toolInputSchemaJson']) {
    const map = internals[field];
    if (map !== null && typeof map === 'object' && Object.keys(map).length === 0) internals[field] = Object.create(null);
  }
}
