/**
 * Reads at most `maxBytes` of a response body, as bytes and as UTF-8 text, and cancels the rest, so
 * that a huge body never fills memory. With `readAheadBytes`, that much more of a longer body is kept (and
 * `truncated` set), so that the caller can redact a secret that straddles the cut before cutting.
 */
export async function readBody(
  response: Response,
  maxBytes: number,
  readAheadBytes = 0,
): Promise<{ body: string; bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { body: '', bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > maxBytes + readAheadBytes) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, maxBytes + readAheadBytes);
  return { body: new TextDecoder().decode(bytes), bytes, truncated: size > maxBytes };
}
