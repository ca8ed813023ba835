import type { ToolCatalog } from '../catalog/types.js';

/** The client configuration snippets of the generated README, none with a credential inside. */
export type ClientConfigs = {
  claudeDesktop: string;
  claudeCodeStdio: string;
  claudeCodeHttp: string;
  vscodeStdio: string;
  vscodeHttp: string;
  cursorStdio: string;
  cursorHttp: string;
  /** The variable a client's own token for the HTTP deployment is read from. */
  clientTokenVariable: string;
  credentialsFileVariable: string;
};

/**
 * stdio snippets start the built server with `<PREFIX>_CREDENTIALS_FILE` naming a file of the API's credentials;
 * HTTP snippets send only the client's own token for this server, read from the client's environment or prompt.
 */
export function buildClientConfigs(catalog: ToolCatalog): ClientConfigs {
  const { name, envPrefix } = catalog.server;
  const entry = `/absolute/path/to/${name}-mcp-server/build/index.js`;
  const credentialsFileVariable = `${envPrefix}_CREDENTIALS_FILE`;
  const credentialsFile = `/absolute/path/to/${name}-credentials.env`;
  const clientTokenVariable = `${envPrefix}_MCP_TOKEN`;
  const url = 'https://mcp.example.com/mcp';
  const stdio = { command: 'node', args: [entry], env: { [credentialsFileVariable]: credentialsFile } };
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return {
    claudeDesktop: json({ mcpServers: { [name]: stdio } }),
    claudeCodeStdio: `claude mcp add --transport stdio --env ${credentialsFileVariable}=${credentialsFile} ${name} -- node ${entry}`,
    claudeCodeHttp: `claude mcp add --transport http --scope project ${name} ${url} --header 'Authorization: Bearer \${${clientTokenVariable}}'`,
    vscodeStdio: json({ servers: { [name]: { type: 'stdio', ...stdio } } }),
    vscodeHttp: json({
      inputs: [{ type: 'promptString', id: `${name}-token`, description: `Your token for the ${name} MCP server`, password: true }],
      servers: { [name]: { type: 'http', url, headers: { Authorization: `Bearer \${input:${name}-token}` } } },
    }),
    cursorStdio: json({ mcpServers: { [name]: stdio } }),
    cursorHttp: json({ mcpServers: { [name]: { url, headers: { Authorization: `Bearer \${env:${clientTokenVariable}}` } } } }),
    clientTokenVariable,
    credentialsFileVariable,
  };
}
