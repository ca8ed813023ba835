import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The request body is larger than the bound; answer 413. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * Turns a Node request into a web `Request` whose signal aborts when the client goes away. The body is read
 * first, up to `maxBodyBytes`; a larger one throws a {@link BodyTooLargeError}.
 */
export async function toWebRequest(req: IncomingMessage, res: ServerResponse, origin: string, maxBodyBytes: number): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readRequestBody(req, maxBodyBytes);
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body: body ?? null, signal: controller.signal });
}

function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(new Uint8Array(Buffer.concat(chunks)));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) finish(new BodyTooLargeError(`The request body is larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onClose = () => finish(new Error('The client closed the connection before sending the whole request'));
    req.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
  });
}

/** Writes a web `Response` to a Node response, streaming its body with backpressure; stops when the client goes away. */
export async function sendWebResponse(res: ServerResponse, response: Response, extraHeaders: OutgoingHttpHeaders = {}): Promise<void> {
  const headers: OutgoingHttpHeaders = { ...extraHeaders };
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  res.once('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
      if (res.destroyed) break;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    res.off('close', stop);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
