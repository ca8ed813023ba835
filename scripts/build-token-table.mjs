// Writes the o200k_base tokens that gpt-tokenizer lists into dist/src/catalog/o200k-tokens.bin, a table that
// src/catalog/tokenizer.ts loads in milliseconds instead of building gpt-tokenizer's map on every run.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeTokenTable, tokenTableFile, tokensOf } from '../dist/src/catalog/tokenizer.js';

const ranks = createRequire(import.meta.url)('gpt-tokenizer/bpeRanks/o200k_base').default;
mkdirSync(path.dirname(tokenTableFile), { recursive: true });
writeFileSync(tokenTableFile, encodeTokenTable(tokensOf(ranks)));
