// Starts the built server over stdio with the MCP SDK client and checks what any generated server must do.
// Run `npm run build` first. Nothing real is contacted: the base URL points at a port that fetch refuses.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { serverDefinition } from '../build/server-definition.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const catalog = JSON.parse(await readFile(new URL('../tools.json', import.meta.url), 'utf8'));
const requestOptions = { timeout: 15_000 };

async function withClient(versionNegotiation, run) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['build/index.js'],
    cwd: root,
    env: {
      ...getDefaultEnvironment(),
      [`${serverDefinition.envPrefix}_BASE_URL`]: 'http://127.0.0.1:9',
      [`${serverDefinition.envPrefix}_TIMEOUT_MS`]: '2000',
    },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name: 'smoke-test', version: '1.0.0' }, { versionNegotiation });
  try {
    await client.connect(transport, requestOptions);
    await run(client);
  } catch (error) {
    error.message += `\nserver stderr:\n${stderr}`;
    throw error;
  } finally {
    await client.close();
  }
}

async function listAllTools(client) {
  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined, requestOptions);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** Arguments that the tool's own input schema rejects, or undefined if it accepts anything. */
function invalidArguments(tool) {
  const schema = tool.inputSchema;
  if (Array.isArray(schema.required) && schema.required.length > 0) return {};
  if (schema.additionalProperties === false) return { smoke_test_unknown_argument: true };
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (typeof property?.type === 'string') return { [name]: property.type === 'string' ? 12345 : 'not a valid value' };
  }
  return undefined;
}

for (const [era, versionNegotiation] of [
  ['2025-11-25', { mode: 'legacy' }],
  ['2026-07-28', { mode: { pin: '2026-07-28' } }],
]) {
  test(`serves the tools in tools.json over stdio (${era})`, { timeout: 60_000 }, async () => {
    await withClient(versionNegotiation, async (client) => {
      const tools = await listAllTools(client);
      const names = tools.map((tool) => tool.name).sort();
      assert.deepEqual(names, catalog.tools.map((tool) => tool.name).sort());

      const candidate = tools.map((tool) => ({ tool, args: invalidArguments(tool) })).find(({ args }) => args !== undefined);
      if (!candidate) return;
      const result = await client.callTool({ name: candidate.tool.name, arguments: candidate.args }, requestOptions);
      assert.equal(result.isError, true, `${candidate.tool.name} accepted invalid arguments: ${JSON.stringify(result)}`);
    });
  });
}
