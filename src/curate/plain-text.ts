/**
 * Spec text (HTML, CommonMark, GitHub-flavoured Markdown) reduced to plain text a model reads well: lists
 * stay lists (`- item`), code spans stay code spans, links keep their text and lose their URL, and images,
 * badges, HTML comments and admonition markers (`> [!NOTE]`) disappear.
 */
export function toPlainText(text: string): string {
  return isPlainAlready(text) ? text.trim() : reduceMarkup(text);
}

/** Every step of `toPlainText`, also for text that has nothing they rewrite. */
export function reduceMarkup(text: string): string {
  let out = text.replace(/\r\n?/g, '\n');
  out = out.replace(/<!--[\s\S]*?-->/g, '');
  out = out.replace(/```[\s\S]*?(```|$)/g, '');
  out = htmlToText(out);
  out = markdownToText(out);
  out = decodeEntities(out);
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').replace(/ +$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * One line with nothing that any step below rewrites: no markup characters, no entity, no run of spaces or
 * tab, and no list, rule or table marker at its start. Most descriptions of fields are such a line.
 */
function isPlainAlready(text: string): boolean {
  return !/[\r\n\t<>`&[\]#*_|]| {2}/.test(text) && !/^\s*[-+:]/.test(text);
}

/** Tags that end a block of text: they become line or paragraph breaks. */
function htmlToText(text: string): string {
  return text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<img\b[^>]*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(li|ul|ol)>/gi, '\n')
    .replace(/<\/?(p|div|h[1-6]|table|tr|blockquote|pre|section|dl|dt|dd)\b[^>]*>/gi, '\n\n')
    .replace(/<code\b[^>]*>([\s\S]*?)<\/code>/gi, (_match, code: string) => `\`${code.replace(/<[^>]+>/g, '')}\``)
    .replace(/<\/?[a-z][a-z0-9-]*\b[^>]*>/gi, '');
}

function markdownToText(text: string): string {
  const lines = text.split('\n').flatMap((line) => {
    let current = line.replace(/^\s*(>\s?)+/, '');
    if (/^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$/i.test(current)) return [];
    current = current.replace(/^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/i, '');
    current = current.replace(/^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/, '$1');
    current = current.replace(/^(\s*)[*+-]\s+/, '$1- ');
    if (/^\s*([-*_]\s*){3,}$/.test(current) || /^\s*\|?\s*:?-{3,}/.test(current)) return [];
    return [current];
  });
  return lines
    .join('\n')
    .replace(/\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)/g, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/^\s*\[[^\]]+\]:\s+\S+.*$/gm, '')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])([*_])(?=\S)([^*_\n]*?\S)\2(?=[\s).,:;!?]|$)/g, '$1$3');
}

const namedEntities: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', mdash: '—', ndash: '–', hellip: '…', copy: '©', reg: '®', trade: '™',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : match;
    }
    return namedEntities[entity.toLowerCase()] ?? match;
  });
}

/** Whether text still carries HTML tags or Markdown link or image syntax. */
export function hasMarkup(text: string): boolean {
  return /<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/i.test(text) || /!?\[[^\]\n]*\]\([^)\n]*\)/.test(text) || /^\s*>\s*\[!/m.test(text);
}

const abbreviation = /\b(e\.g|i\.e|etc|vs|approx|incl|resp|cf|no|Dr|Mr|Ms|Inc|Ltd)\.$/i;

/**
 * Splits a paragraph into sentences at `.`, `!` or `?` followed by a space and a capital letter, a digit,
 * a quote or a code span; abbreviations such as `e.g.` do not end a sentence.
 */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  const pattern = /[.!?](?=\s+[A-Z0-9`"'(‘“])/g;
  for (let match = pattern.exec(paragraph); match; match = pattern.exec(paragraph)) {
    const candidate = paragraph.slice(start, match.index + 1);
    if (abbreviation.test(candidate)) continue;
    sentences.push(candidate.trim());
    start = match.index + 1;
  }
  const rest = paragraph.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}
