import type { ToolCatalog } from '../catalog/types.js';

/** The client configurations of the generated README (JSON documents), none with a credential inside. */
export type ClientConfigs = {
  claudeDesktop: object;
  /** Claude Code's project `.mcp.json` for the HTTP deployment. */
  claudeCodeHttp: object;
  vscodeStdio: object;
  vscodeHttp: object;
  cursorStdio: object;
  cursorHttp: object;
  /** The variable a client's own token for the HTTP deployment is read from. */
  clientTokenVariable: string;
  credentialsFileVariable: string;
};

/**
 * stdio configurations start the built server with `<PREFIX>_CREDENTIALS_FILE` naming a file of the API's
 * credentials; HTTP configurations send only the client's own token for this server, which the client reads
 * from its environment or asks for.
 */
export function buildClientConfigs(catalog: ToolCatalog): ClientConfigs {
  const { name, envPrefix } = catalog.server;
  const credentialsFileVariable = `${envPrefix}_CREDENTIALS_FILE`;
  const clientTokenVariable = `${envPrefix}_MCP_TOKEN`;
  const url = 'https://mcp.example.com/mcp';
  const stdio = {
    command: 'node',
    args: [`/absolute/path/to/${name}-mcp-server/build/index.js`],
    env: { [credentialsFileVariable]: `/absolute/path/to/${name}-credentials.env` },
  };
  return {
    claudeDesktop: { mcpServers: { [name]: stdio } },
    claudeCodeHttp: { mcpServers: { [name]: { type: 'http', url, headers: { Authorization: `Bearer \${${clientTokenVariable}}` } } } },
    vscodeStdio: { servers: { [name]: { type: 'stdio', ...stdio } } },
    vscodeHttp: {
      inputs: [{ type: 'promptString', id: `${name}-token`, description: `Your token for the ${name} MCP server`, password: true }],
      servers: { [name]: { type: 'http', url, headers: { Authorization: `Bearer \${input:${name}-token}` } } },
    },
    cursorStdio: { mcpServers: { [name]: stdio } },
    cursorHttp: { mcpServers: { [name]: { url, headers: { Authorization: `Bearer \${env:${clientTokenVariable}}` } } } },
    clientTokenVariable,
    credentialsFileVariable,
  };
}
