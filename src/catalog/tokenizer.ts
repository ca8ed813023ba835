import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../package-info.js';

/**
 * Counts o200k_base tokens, as gpt-tokenizer does, from a table that loads in milliseconds. gpt-tokenizer
 * builds a map of its 200,000 tokens from a JavaScript module on every start, which takes longer than a
 * whole `generate` of a small API; the build writes the same tokens into `o200k-tokens.bin` (see
 * `scripts/build-token-table.mjs`), and this module finds a text's tokens there with a hash table. Text that
 * looks like a special token (`<|endoftext|>`) is counted as the text it is, as a model receives it in a
 * tool definition.
 */

/** The built table: every token's bytes, by rank, and a hash table over them (see `encodeTokenTable`). */
export const tokenTableFile = path.join(packageRoot, 'dist', 'src', 'catalog', 'o200k-tokens.bin');

/** Tokens by rank, their bytes one after the other: token `r` is `bytes[offsets[r]..offsets[r + 1]]`. */
type Tokens = { offsets: Int32Array; bytes: Uint8Array };
type Table = Tokens & { slots: Int32Array; mask: number };

const requireHere = createRequire(import.meta.url);
const notFound = -1;
let table: Table | undefined;
let splitRegex: RegExp | undefined;
let encodeBuffer = new Uint8Array(1024);
const encoder = new TextEncoder();
/** Tokens of the pieces of text seen so far (a spec repeats its words). */
const pieceCounts = new Map<string, number>();

/** The o200k_base tokens of a text. */
export function countTextTokens(text: string): number {
  table ??= loadTable();
  splitRegex ??= (requireHere('gpt-tokenizer/encodingParams/constants') as { O200K_TOKEN_SPLIT_REGEX: RegExp }).O200K_TOKEN_SPLIT_REGEX;
  let count = 0;
  for (const [piece] of text.matchAll(splitRegex)) count += countPiece(table, piece);
  return count;
}

/** The table as the build wrote it; run from the sources without a build, built from gpt-tokenizer's list. */
function loadTable(): Table {
  if (existsSync(tokenTableFile)) return decodeTokenTable(readFileSync(tokenTableFile));
  return indexTokens(tokensOf((requireHere('gpt-tokenizer/bpeRanks/o200k_base') as { default: (string | number[])[] }).default));
}

/** Tokens from gpt-tokenizer's list: by rank, the token's text, or its bytes when they are not UTF-8. */
export function tokensOf(ranks: readonly (string | readonly number[])[]): Tokens {
  const encoded = ranks.map((token) => (typeof token === 'string' ? encoder.encode(token) : Uint8Array.from(token)));
  const offsets = new Int32Array(encoded.length + 1);
  encoded.forEach((token, rank) => (offsets[rank + 1] = offsets[rank]! + token.length));
  const bytes = new Uint8Array(offsets[encoded.length]!);
  encoded.forEach((token, rank) => bytes.set(token, offsets[rank]!));
  return { offsets, bytes };
}

/**
 * The table file: the number of tokens and of hash slots, then the offsets, the slots and the bytes
 * (little-endian 32-bit integers, then bytes), so that loading it is reading it.
 */
export function encodeTokenTable(tokens: Tokens): Buffer {
  const { offsets, slots, bytes } = indexTokens(tokens);
  const header = Buffer.alloc(8);
  header.writeInt32LE(offsets.length - 1, 0);
  header.writeInt32LE(slots.length, 4);
  const view = (array: Int32Array | Uint8Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return Buffer.concat([header, view(offsets), view(slots), view(bytes)]);
}

function decodeTokenTable(file: Buffer): Table {
  const count = file.readInt32LE(0);
  const slotCount = file.readInt32LE(4);
  // Copies: the file's own buffer need not be aligned for 32-bit views.
  const int32s = (start: number, length: number) => {
    const array = new Int32Array(length);
    new Uint8Array(array.buffer).set(file.subarray(start, start + array.byteLength));
    return array;
  };
  const offsets = int32s(8, count + 1);
  const slots = int32s(8 + offsets.byteLength, slotCount);
  return { offsets, slots, mask: slotCount - 1, bytes: file.subarray(8 + offsets.byteLength + slots.byteLength) };
}

/** An open-addressing hash table over the tokens' bytes, holding rank + 1 (0 is an empty slot), at most half full. */
function indexTokens(tokens: Tokens): Table {
  const count = tokens.offsets.length - 1;
  let size = 1;
  while (size < count * 2) size *= 2;
  const slots = new Int32Array(size);
  const mask = size - 1;
  for (let rank = 0; rank < count; rank++) {
    let slot = hashBytes(tokens.bytes, tokens.offsets[rank]!, tokens.offsets[rank + 1]!) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = rank + 1;
  }
  return { ...tokens, slots, mask };
}

/** FNV-1a over a range of bytes. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
  return hash >>> 0;
}

/** The rank of the token whose bytes are `bytes[start..end]`, or `notFound`. */
function rankOf(table: Table, bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  for (let slot = hashBytes(bytes, start, end) & table.mask; ; slot = (slot + 1) & table.mask) {
    const entry = table.slots[slot]!;
    if (entry === 0) return notFound;
    const rank = entry - 1;
    const from = table.offsets[rank]!;
    if (table.offsets[rank + 1]! - from !== length) continue;
    let same = true;
    for (let index = 0; index < length && same; index++) same = table.bytes[from + index] === bytes[start + index];
    if (same) return rank;
  }
}

/**
 * The tokens of one piece of the split text: one when the piece is a token, else as many as byte-pair
 * merging leaves, merging first the adjacent pair whose joined bytes have the lowest rank.
 */
function countPiece(table: Table, piece: string): number {
  if (piece.length === 1 && piece.charCodeAt(0) < 0x80) return 1;
  const known = pieceCounts.get(piece);
  if (known !== undefined) return known;
  if (encodeBuffer.length < piece.length * 3) encodeBuffer = new Uint8Array(piece.length * 3);
  const bytes = encodeBuffer;
  const length = encoder.encodeInto(piece, bytes).written;
  const count = rankOf(table, bytes, 0, length) !== notFound ? 1 : mergedParts(table, bytes, length);
  if (pieceCounts.size >= 100_000) pieceCounts.clear();
  pieceCounts.set(piece, count);
  return count;
}

function mergedParts(table: Table, bytes: Uint8Array, length: number): number {
  const unmergeable = Number.POSITIVE_INFINITY;
  const starts: number[] = [];
  const ranks: number[] = [];
  const pairRank = (at: number): number => {
    const end = starts[at + 2];
    if (end === undefined) return unmergeable;
    const rank = rankOf(table, bytes, starts[at]!, end);
    return rank === notFound ? unmergeable : rank;
  };
  for (let index = 0; index <= length; index++) starts.push(index);
  for (let index = 0; index <= length; index++) ranks.push(pairRank(index));
  while (starts.length > 1) {
    let lowest = unmergeable;
    let at = -1;
    for (let index = 0; index < ranks.length - 1; index++) {
      if (ranks[index]! < lowest) {
        lowest = ranks[index]!;
        at = index;
      }
    }
    if (at === -1) break;
    starts.splice(at + 1, 1);
    ranks.splice(at, 1);
    ranks[at] = pairRank(at);
    if (at > 0) ranks[at - 1] = pairRank(at - 1);
  }
  return starts.length - 1;
}
