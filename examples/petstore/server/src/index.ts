import { readFileSync } from 'node:fs';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { hooks } from './hooks.js';
import { ConfigError, readConfig } from './runtime/config.js';
import { createEnvReader } from './runtime/env.js';
import { readTransportConfig } from './runtime/http-config.js';
import { serveHttp } from './runtime/http-server.js';
import { createRuntime, type Runtime } from './runtime/runtime.js';
import { buildServer } from './runtime/server.js';
import { createStdioTransport } from './runtime/stdio.js';
import { startTracing } from './runtime/tracing.js';
import { serverDefinition } from './server-definition.js';
import { tools } from './tools/index.js';

const readFile = (path: string) => readFileSync(path, 'utf8');
let runtime: Runtime;
let transport: ReturnType<typeof readTransportConfig>;
try {
  const read = createEnvReader(serverDefinition.envPrefix, process.env, readFile);
  transport = readTransportConfig(serverDefinition.envPrefix, read, process.argv.slice(2), readFile);
  const secrets = transport.transport === 'http' && transport.auth.kind === 'tokens' ? transport.auth.plainTokens : [];
  const loadSearchIndex = async () => (await import('./search-index.js')).searchIndex;
  runtime = createRuntime({ serverDefinition, tools, config: readConfig(serverDefinition, read), secrets, hooks, loadSearchIndex });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${serverDefinition.name}: ${error.message}\n`);
  process.exit(1);
}

const { log } = runtime;
const tracing = await startTracing({ serviceName: serverDefinition.name, version: serverDefinition.version, env: process.env, log });
const details = { version: serverDefinition.version, baseUrl: runtime.config.baseUrl, readOnly: runtime.config.readOnly };
if (transport.transport === 'stdio') {
  const wire = createStdioTransport({ onProblem: (problem) => log('warn', `stdio message refused: ${problem.reason}`, { code: problem.code }) });
  serveStdio(() => buildServer(runtime, 'stdio'), { transport: wire, onerror: (error) => log('error', error.message) });
  log('info', `serving ${runtime.tools.length} tools over stdio`, details);
  if (tracing) process.stdin.once('end', () => void tracing.shutdown());
} else {
  const server = await serveHttp(runtime, transport).catch((error: Error) => {
    log('error', `cannot serve HTTP on ${transport.host}:${transport.port}: ${error.message}`);
    process.exit(1);
  });
  log('info', `serving ${runtime.tools.length} tools over HTTP at ${server.url}`, { ...details, url: server.url, auth: transport.auth.kind });
  const stop = (signal: string) => {
    log('info', `${signal} received, shutting down`);
    void server
      .close()
      .then(() => tracing?.shutdown())
      .then(() => {
        runtime.close();
        process.exit(0);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
