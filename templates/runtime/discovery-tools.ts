/**
 * The three tools a server lists in discovery mode, as data: the generator counts their tokens and the
 * server registers them. Their text is the same for every API, so their cost does not grow with it.
 */
import type { JsonSchema, ServerMode, ToolAnnotations } from './definition.js';

export type { ServerMode };

/** The names of the meta-tools, in the order they are used. */
export const discoveryToolNames = ['search_tools', 'describe_tools', 'call_tool'] as const;
export type DiscoveryToolName = (typeof discoveryToolNames)[number];

/** The definition of one meta-tool as a client lists it. */
export type DiscoveryTool = {
  name: DiscoveryToolName;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: ToolAnnotations;
};

export const searchLimits = { default: 8, max: 25 } as const;
export const describeLimit = 10;

const annotationsSchema: JsonSchema = {
  type: 'object',
  properties: {
    readOnlyHint: { type: 'boolean' },
    destructiveHint: { type: 'boolean' },
    idempotentHint: { type: 'boolean' },
    openWorldHint: { type: 'boolean' },
  },
};
const lookup: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export const searchToolsDefinition: DiscoveryTool = {
  name: 'search_tools',
  title: 'Search the API operations',
  description:
    'Step 1 of 3. This server reaches its API through three tools instead of one tool per operation. Describe the task in a few plain words ' +
    '(e.g. "list open issues of a repository") to get the best-matching operations, best first, with name, title, a short description and ' +
    'annotations. Then call describe_tools with the names you want, then call_tool. If nothing fits, search again with other words.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, maxLength: 500, description: 'What you want to do, in plain words.' },
      limit: { type: 'integer', minimum: 1, maximum: searchLimits.max, default: searchLimits.default, description: 'How many results to return.' },
    },
    required: ['query'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      tools: {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, annotations: annotationsSchema },
          required: ['name', 'title', 'description', 'annotations'],
        },
      },
    },
    required: ['tools'],
  },
  annotations: lookup,
};

export const describeToolsDefinition: DiscoveryTool = {
  name: 'describe_tools',
  title: 'Describe API operations',
  description:
    `Step 2 of 3. Give up to ${describeLimit} tool names from search_tools to get their full definitions: the complete description, the input ` +
    'schema of the arguments (which are required, their types and allowed values), the output schema and annotations. Read them before call_tool.',
  inputSchema: {
    type: 'object',
    properties: {
      names: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: describeLimit, description: 'Tool names from search_tools.' },
    },
    required: ['names'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      tools: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            title: { type: 'string' },
            description: { type: 'string' },
            inputSchema: { type: 'object' },
            outputSchema: { type: 'object' },
            annotations: annotationsSchema,
          },
          required: ['name', 'title', 'description', 'inputSchema', 'annotations'],
        },
      },
    },
    required: ['tools'],
  },
  annotations: lookup,
};

export const callToolDefinition: DiscoveryTool = {
  name: 'call_tool',
  title: 'Call an API operation',
  description:
    'Step 3 of 3. Run one operation found with search_tools, with arguments that match the input schema from describe_tools. It is checked, ' +
    'confirmed with the user when it changes or deletes data, and answered exactly as if the operation were a tool of its own: the result ' +
    'is that tool\'s result, and an error says what to fix.',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, description: 'The tool name from search_tools.' },
      arguments: { type: 'object', description: "The tool's arguments, as its input schema describes them.", default: {} },
    },
    required: ['name'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
};

/** The meta-tools, in the order a model uses them. */
export const discoveryTools: readonly DiscoveryTool[] = [searchToolsDefinition, describeToolsDefinition, callToolDefinition];
