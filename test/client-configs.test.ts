import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildClientConfigs } from '../src/emit/client-configs.js';
import { generateProject } from '../src/pipeline.js';
import { readCurationConfig } from '../src/curate/config-file.js';
import { repoRoot } from './helpers.js';

describe('client configurations in the generated README', async () => {
  const config = await readCurationConfig(path.join(repoRoot, 'examples/petstore/toolwright.yaml'));
  const { catalog, plan } = await generateProject({ spec: config.spec!, config });
  const configs = buildClientConfigs(catalog);
  const credentialVariables = Object.values(catalog.server.securitySchemes).flatMap((scheme) => Object.entries(scheme).filter(([key]) => /env$/i.test(key)).map(([, value]) => String(value)));

  it('start the server over stdio with only the credentials file named, for Claude Desktop, VS Code and Cursor', () => {
    const desktop = JSON.parse(configs.claudeDesktop) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> };
    const vscode = JSON.parse(configs.vscodeStdio) as { servers: Record<string, { type: string; command: string; args: string[]; env: Record<string, string> }> };
    const cursor = JSON.parse(configs.cursorStdio) as { mcpServers: Record<string, { command: string; env: Record<string, string> }> };
    for (const entry of [desktop.mcpServers.petstore!, vscode.servers.petstore!, cursor.mcpServers.petstore!]) {
      expect(entry.command).toBe('node');
      expect(Object.keys(entry.env)).toStrictEqual(['PETSTORE_CREDENTIALS_FILE']);
    }
    expect(vscode.servers.petstore!.type).toBe('stdio');
    expect(configs.claudeCodeStdio).toBe(
      'claude mcp add --transport stdio --env PETSTORE_CREDENTIALS_FILE=/absolute/path/to/petstore-credentials.env petstore -- node /absolute/path/to/petstore-mcp-server/build/index.js',
    );
  });

  it("connect to the HTTP deployment with the client's own token, never a literal one", () => {
    const vscode = JSON.parse(configs.vscodeHttp) as { inputs: { id: string; password: boolean }[]; servers: Record<string, { type: string; headers: Record<string, string> }> };
    expect(vscode.servers.petstore!.headers.Authorization).toBe('Bearer ${input:petstore-token}');
    expect(vscode.inputs).toMatchObject([{ id: 'petstore-token', password: true }]);
    const cursor = JSON.parse(configs.cursorHttp) as { mcpServers: Record<string, { url: string; headers: Record<string, string> }> };
    expect(cursor.mcpServers.petstore!.headers.Authorization).toBe('Bearer ${env:PETSTORE_MCP_TOKEN}');
    expect(configs.claudeCodeHttp).toContain("--header 'Authorization: Bearer ${PETSTORE_MCP_TOKEN}'");
  });

  it('appear in the README, none naming an upstream credential variable', () => {
    const readme = plan.get('README.md')!;
    expect(credentialVariables.length).toBeGreaterThan(0);
    for (const [name, snippet] of Object.entries(configs)) {
      if (name.endsWith('Variable')) continue;
      expect(readme, name).toContain(snippet);
      for (const variable of credentialVariables) expect(snippet, name).not.toContain(variable);
    }
    for (const heading of ['**Claude Desktop**', '**Claude Code**', '**VS Code**', '**Cursor**']) expect(readme).toContain(heading);
  });
});
