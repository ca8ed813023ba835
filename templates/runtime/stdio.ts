import { Transform, type Readable, type Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';

/** The largest JSON-RPC message read over stdio; a larger one is answered with an error and skipped. */
export const maxStdioMessageBytes = 10 * 1024 * 1024;

/** Something wrong with one message the client sent, for the server's log (never the message itself). */
export type StdioProblem = { code: -32700 | -32600; reason: string };

const parseError = -32700;
const invalidRequest = -32600;

/**
 * The stdio transport, with every line checked before the SDK sees it: a line that is not JSON is answered with a
 * JSON-RPC parse error (-32700); one that is JSON but not a JSON-RPC message, or that is longer than
 * `maxMessageBytes`, with an invalid-request error (-32600, with the request's id when it can be read). Either
 * way the line is skipped and the server keeps serving, instead of ending the connection or staying silent.
 * @see https://www.jsonrpc.org/specification#error_object
 */
export function createStdioTransport({
  stdin = process.stdin,
  stdout = process.stdout,
  maxMessageBytes = maxStdioMessageBytes,
  onProblem = () => undefined,
}: {
  stdin?: Readable;
  stdout?: Writable;
  maxMessageBytes?: number;
  onProblem?: (problem: StdioProblem) => void;
} = {}): StdioServerTransport {
  const answer = (code: StdioProblem['code'], reason: string, id: string | number | null) => {
    onProblem({ code, reason });
    const message = code === parseError ? `Parse error: ${reason}` : `Invalid Request: ${reason}`;
    stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);
  };
  const checked = stdin.pipe(checkLines(maxMessageBytes, answer));
  return new StdioServerTransport(checked, stdout, { maxBufferSize: 2 * maxMessageBytes + 65_536 });
}

function checkLines(maxBytes: number, answer: (code: StdioProblem['code'], reason: string, id: string | number | null) => void): Transform {
  let parts: Buffer[] = [];
  let size = 0;
  let head: Buffer | undefined;
  let tail = Buffer.alloc(0);
  let oversized = false;
  const finishLine = (push: (line: Buffer) => void) => {
    if (oversized) {
      const id = idNear(head!.toString('utf8'), tail.toString('utf8'));
      answer(invalidRequest, `the message is larger than ${maxBytes} bytes, the most this server reads`, id);
    } else {
      const line = Buffer.concat(parts);
      const problem = checkMessage(line.toString('utf8').replace(/\r$/, ''));
      if (problem === 'empty') {
        // Blank lines between messages are harmless.
      } else if (problem) answer(problem.code, problem.reason, problem.id);
      else push(Buffer.concat([line, newline]));
    }
    parts = [];
    size = 0;
    head = undefined;
    tail = Buffer.alloc(0);
    oversized = false;
  };
  const take = (piece: Buffer) => {
    if (oversized) {
      tail = Buffer.concat([tail, piece]).subarray(-1024);
      return;
    }
    size += piece.byteLength;
    parts.push(piece);
    if (size > maxBytes) {
      const all = Buffer.concat(parts);
      head = all.subarray(0, 1024);
      tail = all.subarray(-1024);
      parts = [];
      oversized = true;
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let start = 0;
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, start)) {
        take(chunk.subarray(start, index));
        finishLine((line) => this.push(line));
        start = index + 1;
      }
      if (start < chunk.byteLength) take(chunk.subarray(start));
      done();
    },
  });
}

const newline = Buffer.from('\n');

function checkMessage(text: string): { code: StdioProblem['code']; reason: string; id: string | number | null } | 'empty' | undefined {
  if (text.trim() === '') return 'empty';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { code: parseError, reason: 'the line is not valid JSON', id: null };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { code: invalidRequest, reason: 'expected one JSON-RPC 2.0 message object per line', id: null };
  }
  const message = value as { [key: string]: unknown };
  const id = typeof message.id === 'string' || (typeof message.id === 'number' && Number.isFinite(message.id)) ? message.id : null;
  const shaped =
    message.jsonrpc === '2.0' &&
    (typeof message.method === 'string' || ('id' in message && ('result' in message || 'error' in message)));
  return shaped ? undefined : { code: invalidRequest, reason: 'not a JSON-RPC 2.0 request, notification or response', id };
}

/** The id of a message too large to parse, when its first or last characters show it at the top level. */
function idNear(head: string, tail: string): string | number | null {
  const leading = /^\s*\{(?:\s*"(?:jsonrpc|method)"\s*:\s*"[^"\\]*"\s*,)*\s*"id"\s*:\s*(-?\d{1,15}|"[^"\\]{0,200}")\s*[,}]/.exec(head);
  const trailing = /,\s*"id"\s*:\s*(-?\d{1,15}|"[^"\\]{0,200}")\s*\}\s*$/.exec(tail.replace(/\r$/, ''));
  const raw = leading?.[1] ?? trailing?.[1];
  return raw === undefined ? null : (JSON.parse(raw) as string | number);
}
