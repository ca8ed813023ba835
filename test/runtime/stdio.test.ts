// Issue 9 (low): over stdio, a message above 10 MiB ended the server, and malformed JSON-RPC got no answer. The
// generated petstore server, built and run as a child process, now answers both with a JSON-RPC error and keeps
// serving.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers.js';

type Reply = { jsonrpc: string; id: string | number | null; result?: { tools?: { name: string }[] }; error?: { code: number; message: string } };

describe('the generated server over stdio, fed bad input by a real child process pipe', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let child: ChildProcessWithoutNullStreams;
  const replies: Reply[] = [];
  let stderr = '';
  let exited: number | null | undefined;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('toolwright-stdio-'));
    await cp(path.join(repoRoot, 'examples/petstore/server'), dir, { recursive: true });
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit', timeout: 180_000 });
    child = spawn(process.execPath, [path.join(dir, 'build/index.js')], {
      env: { PATH: process.env.PATH ?? '', PETSTORE_BASE_URL: 'http://127.0.0.1:9/v1', PETSTORE_API_KEY: 'key-0123456789abcdef' },
    });
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let index = pending.indexOf('\n'); index !== -1; index = pending.indexOf('\n')) {
        replies.push(JSON.parse(pending.slice(0, index)) as Reply);
        pending = pending.slice(index + 1);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => (exited = code));
  });

  afterAll(async () => {
    child?.kill();
    await cleanup?.();
  });

  const send = (text: string) => new Promise<void>((resolve, reject) => child.stdin.write(text, (error) => (error ? reject(error) : resolve())));
  const waitFor = async (count: number) => {
    const deadline = Date.now() + 20_000;
    while (replies.length < count && Date.now() < deadline && exited === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replies.length, stderr).toBeGreaterThanOrEqual(count);
  };

  it('answers malformed JSON with -32700 and a non-message with -32600, then keeps serving', async () => {
    await send('{"jsonrpc":"2.0","id":1,"method":\n');
    await waitFor(1);
    expect(replies[0]).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    await send('[1,2,3]\n{"jsonrpc":"2.0","id":"a1"}\n');
    await waitFor(3);
    expect(replies.slice(1)).toMatchObject([
      { id: null, error: { code: -32600 } },
      { id: 'a1', error: { code: -32600 } },
    ]);
  });

  it('answers a message over 10 MiB with -32600 under its id, and keeps serving', async () => {
    const huge = `{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"list_pets","arguments":{"q":"${'x'.repeat(11 * 1024 * 1024)}"}}}\n`;
    await send(huge);
    await waitFor(4);
    expect(replies[3]).toMatchObject({ id: 77, error: { code: -32600, message: expect.stringContaining('larger than 10485760 bytes') } });
    await send(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
    await waitFor(5);
    await send(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' })}\n`);
    await waitFor(6);
    expect(replies[5]!.id).toBe(3);
    expect(replies[5]!.result?.tools?.map((tool) => tool.name)).toContain('list_pets');
    expect(exited).toBeUndefined();
    expect(stderr).toContain('stdio message refused');
  });
});
