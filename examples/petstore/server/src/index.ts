import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { findMissingCredentials } from './runtime/auth.js';
import { ConfigError, readConfig, type RuntimeConfig } from './runtime/config.js';
import { createLogger } from './runtime/log.js';
import { createRedactor } from './runtime/redact.js';
import { buildServer } from './runtime/server.js';
import { serverDefinition } from './server-definition.js';
import { tools } from './tools/index.js';

let config: RuntimeConfig;
try {
  config = readConfig(serverDefinition, process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${serverDefinition.name}: ${error.message}\n`);
  process.exit(1);
}

const log = createLogger({ server: serverDefinition.name, redact: createRedactor(config.credentials) });
const missing = findMissingCredentials(serverDefinition, tools, config.credentials);
if (missing) log('warn', missing);
serveStdio(() => buildServer({ serverDefinition, tools, config, log }), {
  onerror: (error) => log('error', error.message),
});
log('info', `serving ${tools.length} tools over stdio`, { version: serverDefinition.version, baseUrl: config.baseUrl });
