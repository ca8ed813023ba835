// Output schemas, lenient results, pagination, response fields and the openai-strict profile, end to end: a
// spec and a toolwright.yaml through the real pipeline, served by the runtime to the SDK client (which
// validates every structuredContent against the declared outputSchema), against an upstream on 127.0.0.1.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { parseCurationConfig } from '../src/curate/config-file.js';
import { selectTools } from '../src/curate/select.js';
import { loadSpec } from '../src/load/load-spec.js';
import { buildModel } from '../src/model/build-model.js';
import type { CatalogTool } from '../src/catalog/types.js';
import { auditLines, connectInMemory, sendJson, startServer, testRuntime, type TestServer } from './runtime/harness.js';
import { tempDir, writeSpec } from './helpers.js';

const spec = `
openapi: 3.0.3
info: { title: Repos, version: 1.0.0 }
servers: [{ url: https://api.example.com }]
paths:
  /repos:
    get:
      operationId: listRepos
      summary: List repositories
      parameters:
        - { name: page, in: query, schema: { type: integer } }
        - { name: per_page, in: query, schema: { type: integer } }
        - { name: visibility, in: query, schema: { type: string, enum: [public, private] } }
      responses:
        '200':
          description: A page of repositories.
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Repo' } }
  /repos/{id}:
    get:
      operationId: getRepo
      summary: Get a repository
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
      responses:
        '200':
          description: The repository.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Repo' }
components:
  schemas:
    Repo:
      type: object
      required: [id, name]
      properties:
        id: { type: integer, description: The repository's id. }
        name: { type: string, description: The repository's name. }
        stars: { type: integer }
        owner:
          type: object
          properties:
            login: { type: string }
            email: { type: string, format: email }
        deploy_token: { type: string, description: A token to deploy with. }
`;

const config = `
outputSchema: compact
responseFields:
  redact: [deploy_token]
profile: openai-strict
operations:
  listRepos:
    name: list_repos
    responseFields: { drop: [/owner/email] }
  getRepo:
    name: get_repo
`;

const deployToken = 'dtok-7f3a9c1e5b';
const email = 'owner@private.example';
const repo = (id: number | string) => ({ id, name: `repo-${id}`, stars: 3, owner: { login: 'octo', email }, deploy_token: deployToken });

describe('results through the SDK client', () => {
  let upstream: TestServer;
  let tools: CatalogTool[];
  let client: Client;
  let lines: string[];
  const received: unknown[] = [];

  beforeAll(async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = await writeSpec(dir, 'openapi.yaml', spec);
      const { model } = buildModel(await loadSpec(file));
      const { decisions } = selectTools({ model, config: parseCurationConfig(config, 'toolwright.yaml') });
      tools = buildCatalog({ model, decisions }).catalog.tools;
    } finally {
      await cleanup();
    }
    upstream = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      if (url.pathname === '/repos') {
        const page = Number(url.searchParams.get('page') ?? '1');
        const next = new URL(`${upstream.url}/repos`);
        next.searchParams.set('page', String(page + 1));
        next.searchParams.set('per_page', url.searchParams.get('per_page') ?? '2');
        sendJson(res, 200, [repo(page * 10), repo(page * 10 + 1)], { link: `<${next.href}>; rel="next", <https://other.example/repos?page=9&access_token=${deployToken}>; rel="last"` });
      } else if (url.pathname === '/repos/13') sendJson(res, 200, { ...repo('thirteen'), stars: 'many' });
      else sendJson(res, 200, repo(Number(url.pathname.split('/').at(-1))));
    });
    const served = testRuntime({ serverDefinition: { name: 'repos', version: '1.0.0', envPrefix: 'REPOS', securitySchemes: {} }, tools, env: { REPOS_BASE_URL: upstream.url } });
    lines = served.lines;
    client = await connectInMemory(served.runtime);
  });

  afterAll(async () => {
    await client?.close();
    await upstream?.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as { content: { type: string; text: string }[]; structuredContent?: { [key: string]: unknown }; isError?: boolean };
    received.push(result);
    return result;
  };

  it('lists compact output schemas that show the field selection and pagination, and strict-mode input schemas', async () => {
    const { tools: listed } = await client.listTools();
    const list = listed.find((tool) => tool.name === 'list_repos')!;
    expect(list.outputSchema).toStrictEqual({
      type: 'object',
      properties: {
        result: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'integer' }, name: { type: 'string' }, stars: { type: 'integer' }, owner: { type: 'object' }, deploy_token: { type: 'string' } },
          },
        },
        _pagination: { type: 'object', properties: { hasMore: { type: 'boolean' }, next: { type: 'object' }, total: { type: 'integer' } } },
      },
    });
    expect(list.inputSchema).toMatchObject({ required: ['page', 'per_page', 'visibility'], additionalProperties: false });
    expect((list.inputSchema.properties as Record<string, unknown>).visibility).toStrictEqual({ type: ['string', 'null'], enum: ['public', 'private', null] });
  });

  it('treats null as "not sent" for arguments the strict profile made nullable', async () => {
    const before = upstream.seen.length;
    await call('list_repos', { page: null, per_page: 2, visibility: null });
    expect(upstream.seen.slice(before).map((seen) => seen.url)).toStrictEqual(['/repos?per_page=2']);
  });

  it('surfaces the next page of a Link header as the arguments of the next call, never as a link', async () => {
    const result = await call('list_repos', { page: 1, per_page: 2, visibility: 'public' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent?._pagination).toStrictEqual({ hasMore: true, next: { page: 2 } });
    expect(result.content.at(-1)!.text).toBe('More results are available: call list_repos again with {"page":2} and the other arguments unchanged.');
    const next = await call('list_repos', { page: 2, per_page: 2, visibility: 'public' });
    expect((next.structuredContent?.result as { id: number }[]).map((item) => item.id)).toStrictEqual([20, 21]);
    expect(JSON.stringify(next)).not.toMatch(/other\.example|127\.0\.0\.1/);
  });

  it('never returns a dropped or redacted field, also inside list items', async () => {
    const result = await call('list_repos', { page: 1, per_page: 2, visibility: null });
    const items = result.structuredContent?.result as { owner: unknown; deploy_token: unknown }[];
    expect(items[0]!.owner).toStrictEqual({ login: 'octo' });
    expect(items[0]!.deploy_token).toBe('[REDACTED]');
    expect(JSON.parse(result.content[0]!.text)[1].deploy_token).toBe('[REDACTED]');
  });

  it('returns a response that strays from the declared output as a result, not an error', async () => {
    const result = await call('get_repo', { id: 13 });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toStrictEqual({ name: 'repo-thirteen', owner: { login: 'octo', email }, deploy_token: '[REDACTED]' });
    expect(JSON.parse(result.content[0]!.text)).toMatchObject({ id: 'thirteen', stars: 'many' });
    expect(result.content[1]!.text).toContain('left out of the structured result (/id, /stars)');
    const audit = auditLines(lines).at(-1)!;
    expect(audit).toMatchObject({ tool: 'get_repo', outcome: 'output_mismatch', status: 200 });
  });

  it('kept the secrets it was asked to hide out of every result and every log and audit line', () => {
    expect(upstream.seen.length).toBeGreaterThan(3);
    const everything = JSON.stringify(received) + lines.join('\n');
    expect(everything).not.toContain(deployToken);
    expect(JSON.stringify(received.slice(0, -1))).not.toContain(email);
    expect(lines.join('\n')).not.toContain(email);
  });
});
