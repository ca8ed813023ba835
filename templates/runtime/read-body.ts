/** Reads at most `maxBytes` of a response body as UTF-8 and cancels the rest, so that a huge body never fills memory. */
export async function readBody(response: Response, maxBytes: number): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
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
  const bytes = Buffer.concat(chunks);
  return { body: new TextDecoder().decode(bytes.subarray(0, maxBytes)), truncated: size > maxBytes };
}
