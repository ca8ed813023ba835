// Starts the built server over stdio and over HTTP with the MCP SDK client and checks what any generated server
// must do. Run `npm run build` first. Nothing real is contacted: the base URL points at a port that fetch refuses.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
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

/** Arguments that a read-only tool's schema accepts, built from its required properties, or undefined when that is not simple. */
function minimalArguments(tool) {
  if (!tool.annotations?.readOnlyHint) return undefined;
  const args = {};
  for (const name of tool.inputSchema.required ?? []) {
    const property = tool.inputSchema.properties?.[name] ?? {};
    if (Array.isArray(property.enum)) args[name] = property.enum[0];
    else if (property.type === 'string' && !property.format && !property.pattern) args[name] = 'smoke-test';
    else if (property.type === 'integer' || property.type === 'number') args[name] = Math.max(1, property.minimum ?? 1);
    else if (property.type === 'boolean') args[name] = true;
    else return undefined;
  }
  return args;
}

/** A stand-in for the API on loopback that answers every request with 200 and `{}`; records what it received. */
async function startUpstream() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Starts `node build/index.js --transport http` on a free loopback port; resolves with its URL and a stop function. */
async function startHttpServer(env = {}) {
  const child = spawn(process.execPath, ['build/index.js', '--transport', 'http'], {
    cwd: root,
    env: { ...getDefaultEnvironment(), ...testEnv, [`${serverDefinition.envPrefix}_PORT`]: '0', ...env },
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

test('serves the tools over Streamable HTTP on loopback, both revisions, with a health check and metrics', { timeout: 60_000 }, async () => {
  const upstream = await startUpstream();
  const { url, stop } = await startHttpServer({ [`${serverDefinition.envPrefix}_BASE_URL`]: upstream.url });
  try {
    const health = await fetch(new URL('/healthz', url));
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    const before = await fetch(new URL('/metrics', url));
    assert.equal(before.status, 200);
    assert.match(before.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    assert.match(await before.text(), new RegExp(`^mcp_server_info\\{server="${serverDefinition.name}",version="[^"]*"\\} 1$`, 'm'));
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
    const callable = catalog.tools.map((tool) => ({ tool, args: minimalArguments(tool) })).find(({ args }) => args !== undefined);
    const rejected = catalog.tools.map((tool) => ({ tool, args: invalidArguments(tool) })).find(({ args }) => args !== undefined);
    const client = new Client({ name: 'smoke-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)), requestOptions);
    try {
      if (callable) await client.callTool({ name: callable.tool.name, arguments: callable.args }, requestOptions);
      if (rejected) await client.callTool({ name: rejected.tool.name, arguments: rejected.args }, requestOptions);
    } finally {
      await client.close();
    }
    const metrics = await (await fetch(new URL('/metrics', url))).text();
    for (const family of ['mcp_tool_calls_total', 'mcp_tool_errors_total', 'mcp_tool_call_duration_seconds', 'mcp_upstream_responses_total']) {
      assert.match(metrics, new RegExp(`^# TYPE ${family} (counter|histogram)$`, 'm'));
    }
    if (callable) {
      const tool = callable.tool.name;
      assert.equal(upstream.requests.length, 1, 'the tool call reached the API');
      assert.match(metrics, new RegExp(`^mcp_tool_call_duration_seconds_count\\{tool="${tool}"\\} 1$`, 'm'));
      assert.match(metrics, new RegExp(`^mcp_upstream_responses_total\\{tool="${tool}",status_class="2xx"\\} 1$`, 'm'));
    }
    if (rejected) assert.match(metrics, new RegExp(`^mcp_tool_calls_total\\{tool="${rejected.tool.name}",outcome="invalid_arguments"\\} [12]$`, 'm'));
  } finally {
    await stop();
    await upstream.close();
  }
});

const hasOpenTelemetry = (() => {
  try {
    createRequire(import.meta.url).resolve('@opentelemetry/sdk-node');
    return true;
  } catch {
    return false;
  }
})();

test('exports a span per tool call when the OTEL_* variables are set', { timeout: 60_000, skip: !hasOpenTelemetry && 'the optional OpenTelemetry packages are not installed' }, async () => {
  const callable = catalog.tools.map((tool) => ({ tool, args: minimalArguments(tool) })).find(({ args }) => args !== undefined);
  if (!callable) return;
  const upstream = await startUpstream();
  const exported = [];
  const collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      exported.push({ path: req.url, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { url, stop } = await startHttpServer({
    [`${serverDefinition.envPrefix}_BASE_URL`]: upstream.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.address().port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
  try {
    const client = new Client({ name: 'smoke-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)), requestOptions);
    try {
      await client.callTool({ name: callable.tool.name, arguments: callable.args }, requestOptions);
    } finally {
      await client.close();
    }
    const deadline = Date.now() + 10_000;
    while (!exported.some((request) => request.body.includes(`tools/call ${callable.tool.name}`)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const spans = exported.filter((request) => request.path === '/v1/traces');
    assert.ok(spans.some((request) => request.body.includes(`tools/call ${callable.tool.name}`)), `no span exported: ${JSON.stringify(exported).slice(0, 500)}`);
    assert.match(upstream.requests[0]?.headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/, 'the trace context reached the API');
  } finally {
    await stop();
    await upstream.close();
    await new Promise((resolve) => collector.close(resolve));
  }
});
