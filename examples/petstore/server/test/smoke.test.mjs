// Starts the built server over stdio and over HTTP with the MCP SDK client and checks what any generated server
// must do. Run `npm run build` first. Nothing real is contacted: the base URL points at a port that fetch refuses.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { serverDefinition } from '../build/server-definition.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const catalog = JSON.parse(await readFile(new URL('../tools.json', import.meta.url), 'utf8'));
const requestOptions = { timeout: 15_000 };
const testEnv = {
  [`${serverDefinition.envPrefix}_BASE_URL`]: 'http://127.0.0.1:9',
  [`${serverDefinition.envPrefix}_TIMEOUT_MS`]: '2000',
};

async function withClient(versionNegotiation, run) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['build/index.js'],
    cwd: root,
    env: { ...getDefaultEnvironment(), ...testEnv },
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

/** Starts `node build/index.js --transport http` on a free loopback port; resolves with its URL and a stop function. */
async function startHttpServer() {
  const child = spawn(process.execPath, ['build/index.js', '--transport', 'http'], {
    cwd: root,
    env: { ...getDefaultEnvironment(), ...testEnv, [`${serverDefinition.envPrefix}_PORT`]: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const stop = () => new Promise((resolve) => (child.exitCode === null ? (child.once('exit', resolve), child.kill('SIGTERM')) : resolve()));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), 15_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const found = /"url":"([^"]+)"/.exec(stderr)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url, stop };
}

test('serves the tools over Streamable HTTP on loopback, both revisions, with a health check', { timeout: 60_000 }, async () => {
  const { url, stop } = await startHttpServer();
  try {
    const health = await fetch(new URL('/healthz', url));
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    const refused = await fetch(url, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 403);
    for (const versionNegotiation of [{ mode: 'legacy' }, { mode: { pin: '2026-07-28' } }]) {
      const client = new Client({ name: 'smoke-test', version: '1.0.0' }, { versionNegotiation });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)), requestOptions);
      try {
        const names = (await listAllTools(client)).map((tool) => tool.name).sort();
        assert.deepEqual(names, catalog.tools.map((tool) => tool.name).sort());
      } finally {
        await client.close();
      }
    }
  } finally {
    await stop();
  }
});
