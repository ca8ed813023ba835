/**
 * Reads at most `maxBytes` of a response body, as bytes and as UTF-8 text, and cancels the rest, so
 * that a huge body never fills memory.
 */
export async function readBody(response: Response, maxBytes: number): Promise<{ body: string; bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { body: '', bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, maxBytes);
  return { body: new TextDecoder().decode(bytes), bytes, truncated: size > maxBytes };
}
