import type { OperationModel } from '../model/types.js';
import { describeReturns } from './describe-returns.js';
import { splitSentences, toPlainText } from './plain-text.js';

/** The longest description proposed for a tool, in characters, unless toolwright.yaml sets `descriptions.maxLength`. */
export const defaultDescriptionLength = 300;

/** What a model is told about an operation, and what the spec said. */
export type OperationText = {
  title: string;
  /** Plain text: what the tool does, then what it returns, within the length budget. */
  description: string;
  /** The operation is deprecated or closing down (flagged by the spec or by its text). */
  deprecated: boolean;
};

/**
 * Sentences and paragraphs that say how to call the endpoint over HTTP or which credentials it needs, not
 * what it does: a model calling the tool through this server cannot act on them.
 */
const boilerplate: RegExp[] = [
  /\b(OAuth|personal access|installation access|access|fine-grained|app|user) tokens?\b.*\b(need|must|require|are not supported|work|can use|cannot use)/i,
  /\bthis endpoint (works with|supports) the following\b/i,
  /^fine-grained (access )?tokens? for\b/i,
  /\bfine-grained token must have\b/i,
  /\bcustom media types?\b/i,
  /^-\s*`?application\/vnd\./i,
  /\bfor more (information|details)\b/i,
  /^see .* for (more|detailed|further) (information|details)\b/i,
  /\brefer to\b.*\b(reference|documentation|docs|guide)\b/i,
  /\bthis (endpoint|operation) is (accessible by anyone|available|in public preview)/i,
  /\bto use this (endpoint|operation)\b/i,
  /\b(is|are) subject to change\b/i,
  /\bthe following permission set\b/i,
  /^-\s*"[^"]+" (repository|organization|user|account|enterprise) permissions\b/i,
  /\bAPI (version|rate limit|rate-limit)s?\b.*\bheader\b/i,
];

/** A notice that the operation is deprecated or closing down: it becomes a flag, not prose. */
const deprecationNotice = /\b(closing down( notice)?|this (operation|endpoint|method) (is|has been) deprecated|^deprecated\b|\bdeprecated:|will be removed (on|in|starting))/i;
/** Text that says the operation itself (not one of its fields) is deprecated or closing down. */
const operationDeprecated = /\bthis (operation|endpoint|method|api) (is|has been|will be) (closing down|deprecated|removed)|(^|[.!?]\s+)deprecated\b/i;
const deprecatedTitle = /^\s*(closing down|deprecated)\s*[-:–—]\s*|\s*[(\[]\s*deprecated\s*[)\]]\s*/gi;

/**
 * Proposes a tool's title and description from the operation: the spec's text as plain text, without
 * boilerplate, cut to whole sentences within `maxLength`, followed by what the tool returns (read from
 * the success response's schema). `document` resolves `$ref`s in that schema.
 */
export function describeOperation({
  operation,
  document,
  fallbackTitle,
  maxLength = defaultDescriptionLength,
}: {
  operation: OperationModel;
  document: unknown;
  fallbackTitle: string;
  maxLength?: number;
}): OperationText {
  const summary = operation.summary ? toPlainText(operation.summary).split('\n')[0]!.trim() : '';
  const body = operation.description ? toPlainText(operation.description) : '';
  const deprecated =
    operation.deprecated || /^\s*closing down\b|[(\[]\s*deprecated\s*[)\]]/i.test(operation.summary ?? '') || operationDeprecated.test(body.slice(0, 400));
  const cleanSummary = summary.replace(deprecatedTitle, ' ').replace(/\s+/g, ' ').trim().replace(/[.:]$/, '');
  const units = usefulUnits(body);
  const summaryUnit = cleanSummary ? asSentence(toSentenceCase(cleanSummary)) : '';
  const lead = pickLead(units, summaryUnit, maxLength);
  const prefix = deprecated ? 'Deprecated. ' : '';
  const said = `${prefix}${lead.join(' ')}`;
  const returns = describeReturns({ operation, document, room: maxLength - said.length - 1, alreadySaid: /\breturns?\b/i.test(lead.join(' ')) });
  const description = [said.trim(), returns].filter(Boolean).join(' ').trim();
  return {
    title: toSentenceCase(cleanSummary || fallbackTitle),
    description: description || `${operation.method} ${operation.path}`,
    deprecated,
  };
}

/**
 * The paragraphs of plain text as units a description is built from: each sentence of a paragraph, and a
 * paragraph that introduces a list together with its list, so a list is kept whole or left out whole.
 */
function usefulUnits(text: string): string[] {
  if (!text) return [];
  const units: string[] = [];
  const paragraphs = text.split(/\n{2,}/);
  for (let index = 0; index < paragraphs.length; index++) {
    let paragraph = paragraphs[index]!.trim();
    if (!paragraph) continue;
    const isList = (value: string | undefined) => value !== undefined && /^\s*(-|\d+\.)\s/.test(value);
    if (isList(paragraph)) {
      const previous = units[units.length - 1];
      if (previous?.endsWith(':')) units[units.length - 1] = `${previous}\n${keepUseful(paragraph)}`;
      continue;
    }
    paragraph = paragraph.replace(/([.!?])\s+deprecated\b/gi, '$1 Deprecated');
    const lines = paragraph.split('\n');
    const listStart = lines.findIndex((line) => isList(line));
    let list = '';
    if (listStart > 0) {
      list = keepUseful(lines.slice(listStart).join('\n'));
      paragraph = lines.slice(0, listStart).join(' ');
    } else {
      paragraph = lines.join(' ');
    }
    const sentences = splitSentences(paragraph).filter((sentence) => !isBoilerplate(sentence) && !deprecationNotice.test(sentence));
    if (sentences.length === 0) continue;
    if (list && sentences[sentences.length - 1]!.endsWith(':')) sentences[sentences.length - 1] = `${sentences[sentences.length - 1]}\n${list}`;
    else if (list && isList(paragraphs[index + 1])) sentences.push(list);
    units.push(...sentences);
  }
  return units.filter((unit) => !/:\s*$/.test(unit));
}

/**
 * An argument's or a field's description as a model reads it: plain text, without the sentences that say how
 * to call the API over HTTP (see {@link boilerplate}) and without worked examples of paging that follow a
 * definition (see {@link isPagingIllustration}). Nothing else is cut: an argument's meaning is kept whole.
 */
export function describeField(text: string): string {
  let described = describedFields.get(text);
  if (described === undefined) {
    described = plainFieldText(text);
    describedFields.set(text, described);
  }
  return described;
}

/** Field descriptions already reduced: specs repeat the same parameter and property texts hundreds of times. */
const describedFields = new Map<string, string>();

function plainFieldText(text: string): string {
  const plain = toPlainText(text);
  const kept = plain
    .split(/\n\s*\n/)
    .map((paragraph) =>
      /^\s*- /m.test(paragraph)
        ? keepUseful(paragraph)
        : splitSentences(paragraph.replace(/\s*\n\s*/g, ' '))
            .filter((sentence, index) => !isBoilerplate(sentence) && !(index > 0 && isPagingIllustration(sentence)))
            .join(' '),
    )
    .filter((paragraph) => paragraph.trim())
    .join('\n\n');
  return kept || plain;
}

/**
 * A worked example of paging after a definition (`For instance, if you make a list request and receive 100
 * objects, …, in order to fetch the next page of the list.`): the server's results say which arguments fetch
 * the next page, and the example costs tokens on every turn. Other examples, which often show a format or a
 * syntax, are kept.
 */
function isPagingIllustration(sentence: string): boolean {
  return /^(for instance|for example|e\.g\.),/i.test(sentence) && /\b(next|previous) page\b/i.test(sentence);
}

function keepUseful(list: string): string {
  return list
    .split('\n')
    .filter((line) => line.trim() && !isBoilerplate(line.trim()))
    .join('\n');
}

/** Every pattern of {@link boilerplate} in one expression: one scan of a sentence instead of one each. */
const anyBoilerplate = new RegExp(boilerplate.map((pattern) => `(?:${pattern.source})`).join('|'), 'i');

function isBoilerplate(sentence: string): boolean {
  return anyBoilerplate.test(sentence);
}

/** One or two sentences of what the operation does, within the budget, never cut mid-sentence. */
function pickLead(units: string[], summary: string, maxLength: number): string[] {
  const [first, second] = units.map(asSentence);
  const room = maxLength * 0.75;
  if (!first) return summary ? [summary] : [];
  if (first.length > room) return summary && summary.length < first.length ? [summary] : [first];
  if (summary && !overlaps(first, summary)) return `${summary} ${first}`.length <= room ? [summary, first] : [summary];
  return second && !second.includes('\n') && `${first} ${second}`.length <= room * 0.8 ? [first, second] : [first];
}

/**
 * Whether a sentence already says what the summary does: it names at least half of the summary's words
 * after the verb (`Get project` and `Fetch a project by name.`). A one-word summary adds nothing.
 */
function overlaps(sentence: string, summary: string): boolean {
  const stem = (word: string) => word.replace(/(ies|es|s)$/, '');
  const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9 ]/g, ' ').split(/\s+/).filter((word) => word.length > 2).map(stem);
  const summaryWords = words(summary).slice(1);
  if (summaryWords.length === 0) return true;
  const sentenceWords = new Set(words(sentence));
  return summaryWords.filter((word) => sentenceWords.has(word)).length / summaryWords.length >= 0.5;
}

function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?:)`"]$/.test(capital) || capital.includes('\n') ? capital : `${capital}.`;
}

/**
 * Sentence case for a title: the first word capitalized, other capitalized words lowercased, and words
 * with capitals inside (`GitHub`, `OAuth`) or in capitals (`DNS`, `R2`) kept as written.
 */
export function toSentenceCase(title: string): string {
  const words = title.trim().split(/(\s+)/);
  return words
    .map((word, index) => {
      if (index === 0) return word.charAt(0).toUpperCase() + word.slice(1);
      return /^[A-Z][a-z]+(['’]s)?[.,:;!?]?$/.test(word) ? word.toLowerCase() : word;
    })
    .join('');
}
