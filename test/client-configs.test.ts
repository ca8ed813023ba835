import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildClientConfigs } from '../src/emit/client-configs.js';
import { generateProject } from '../src/pipeline.js';
import { readCurationConfig } from '../src/curate/config-file.js';
import { repoRoot } from './helpers.js';

type StdioEntry = { type?: string; command: string; args: string[]; env: Record<string, string> };
type HttpEntry = { type?: string; url: string; headers: Record<string, string> };

describe('client configurations in the generated README', async () => {
  const config = await readCurationConfig(path.join(repoRoot, 'examples/petstore/toolwright.yaml'));
  const { catalog, plan } = await generateProject({ spec: config.spec!, config });
  const configs = buildClientConfigs(catalog);
  const readme = plan.get('README.md')!;
  const credentialVariables = Object.values(catalog.server.securitySchemes).flatMap((scheme) => Object.entries(scheme).filter(([key]) => /env$/i.test(key)).map(([, value]) => String(value)));

  it('start the server over stdio with only the credentials file named, for Claude Desktop, Claude Code, VS Code and Cursor', () => {
    const desktop = configs.claudeDesktop as { mcpServers: Record<string, StdioEntry> };
    const vscode = configs.vscodeStdio as { servers: Record<string, StdioEntry> };
    const cursor = configs.cursorStdio as { mcpServers: Record<string, StdioEntry> };
    for (const entry of [desktop.mcpServers.petstore!, vscode.servers.petstore!, cursor.mcpServers.petstore!]) {
      expect(entry.command).toBe('node');
      expect(entry.args).toStrictEqual(['/absolute/path/to/petstore-mcp-server/build/index.js']);
      expect(entry.env).toStrictEqual({ PETSTORE_CREDENTIALS_FILE: '/absolute/path/to/petstore-credentials.env' });
    }
    expect(vscode.servers.petstore!.type).toBe('stdio');
    expect(readme).toContain(
      'claude mcp add --transport stdio --env PETSTORE_CREDENTIALS_FILE=/absolute/path/to/petstore-credentials.env petstore -- node /absolute/path/to/petstore-mcp-server/build/index.js',
    );
  });

  it("connect to the HTTP deployment with the client's own token, never a literal one", () => {
    const claudeCode = configs.claudeCodeHttp as { mcpServers: Record<string, HttpEntry> };
    expect(claudeCode.mcpServers.petstore).toStrictEqual({ type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${PETSTORE_MCP_TOKEN}' } });
    const vscode = configs.vscodeHttp as { inputs: { id: string; password: boolean }[]; servers: Record<string, HttpEntry> };
    expect(vscode.servers.petstore!.headers.Authorization).toBe('Bearer ${input:petstore-token}');
    expect(vscode.inputs).toMatchObject([{ id: 'petstore-token', password: true }]);
    const cursor = configs.cursorHttp as { mcpServers: Record<string, HttpEntry> };
    expect(cursor.mcpServers.petstore!.headers.Authorization).toBe('Bearer ${env:PETSTORE_MCP_TOKEN}');
  });

  it('appear in the README, none naming an upstream credential variable', () => {
    expect(credentialVariables.length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(configs)) {
      if (typeof value === 'string') continue;
      const text = JSON.stringify(value, null, 2);
      expect(readme, name).toContain(text);
      for (const variable of credentialVariables) expect(text, name).not.toContain(variable);
    }
    for (const heading of ['**Claude Desktop**', '**Claude Code**', '**VS Code**', '**Cursor**']) expect(readme).toContain(heading);
  });
});
