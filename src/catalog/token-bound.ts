/**
 * Exact o200k token counts of the pieces compact schemas are mostly made of. A test checks each against the
 * tokenizer, so a change of tokenizer cannot make the bound below unsound unnoticed.
 */
export const knownPieceTokens: ReadonlyMap<string, number> = new Map([
  ['{"', 1], ['":"', 1], ['":{"', 1], ['","', 1], ['"},"', 2], ['"}', 1], ['"}}', 1], ['"}},"', 2], ['"}}}', 2], ['"}}}}', 2],
  ['":["', 1], ['"],"', 2], ['"]},"', 2], ['"]}', 2], ['"]', 1], ['":{},"', 3], ['":{}', 2], ['":{}}', 3], ['":{}},"', 4],
  ['type', 1], ['object', 1], ['properties', 1], ['string', 1], ['integer', 1], ['number', 1], ['boolean', 1], ['null', 1],
  ['array', 1], ['items', 1], ['result', 1], ['data', 1], ['id', 1], ['name', 1],
]);

/**
 * A number no smaller than the o200k tokens of `text`, computed without loading the tokenizer (whose table
 * takes longer to load than generating a small server): the tokenizer cuts text into chunks before it encodes
 * each alone, and in text of visible ASCII without apostrophes a chunk ends wherever letters, digits or other
 * characters give way to one another, except that one character other than a letter or digit directly before
 * letters starts their chunk. Known chunks count as encoded, every other chunk as its bytes (a token has at
 * least one byte); other text counts as its bytes.
 */
export function tokenUpperBound(text: string): number {
  if (!/^[\x21-\x26\x28-\x7e]*$/.test(text)) return Buffer.byteLength(text);
  const pieces = text.match(/[A-Za-z]+|[0-9]+|[^A-Za-z0-9]+/g) ?? [];
  let total = 0;
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index]!;
    const next = pieces[index + 1];
    if (piece.length === 1 && /^[^A-Za-z0-9]$/.test(piece) && next !== undefined && /^[A-Za-z]/.test(next)) {
      total += 1 + next.length;
      index++;
    } else {
      total += knownPieceTokens.get(piece) ?? piece.length;
    }
  }
  return total;
}
