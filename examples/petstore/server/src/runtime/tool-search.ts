/**
 * Ranks tools for a natural-language query: BM25F over a tool's name, title, description, tags, path words
 * and parameter names, with English stemming, snake/camel-case splitting and a few query synonyms.
 * Pure and dependency-free: the index is built once (at generation time) as JSON data and searched at run time.
 */

/** The searchable text of one tool. */
export type SearchDocument = {
  name: string;
  title: string;
  description: string;
  tags: string[];
  /** The literal segments of the operation's path, e.g. `repos`, `issues` for `/repos/{owner}/{repo}/issues`. */
  pathWords: string[];
  /** The names of the tool's arguments. */
  parameters: string[];
  /** The operation's HTTP method and path template: they tell what the tool does (lists, reads, creates...). */
  method?: string;
  path?: string;
};

/** The search index: JSON-serialisable data, built by {@link buildSearchIndex}. */
export type SearchIndex = {
  version: 1;
  /** Tool names, by document number. */
  names: string[];
  /** The index's terms (stemmed), sorted. */
  terms: string[];
  /** For each term, a flat list of `document, weight × 1000` pairs: the term's field-weighted, length-normalised frequency. */
  postings: number[][];
  /** For each document, the numbers of the distinct terms of its name. */
  nameTerms: number[][];
};

/** One ranked tool. */
export type SearchHit = { name: string; score: number };

type Field = 'name' | 'title' | 'description' | 'tags' | 'pathWords' | 'parameters' | 'action';

/** How much a match in each field counts. */
const FIELD_WEIGHTS: { [field in Field]: number } = {
  name: 3,
  title: 2,
  tags: 1.5,
  pathWords: 1.5,
  description: 1,
  parameters: 0.6,
  action: 0.5,
};
const FIELDS = Object.keys(FIELD_WEIGHTS) as Field[];
/** Length normalisation by field: names and titles are short and matter whole; descriptions vary. */
const FIELD_B: { [field in Field]: number } = { name: 0.5, title: 0.5, tags: 0.3, pathWords: 0.5, description: 0.75, parameters: 0.5, action: 0 };
const K1 = 1.2;
/** Only the start of a description is indexed: it says what the operation does; the rest is detail and caveats. */
const DESCRIPTION_CHARS = 400;
/** A query word's synonyms count this much of the word itself. */
const SYNONYM_WEIGHT = 0.5;
/** A query word unknown to the index matches the terms it begins or that begin it, at this weight. */
const PREFIX_WEIGHT = 0.4;
/** Extra share of the score for a tool whose name words the query covers completely. */
const NAME_COVERAGE_BONUS = 1;
/** A tool matching none of the query's words would keep this share of its score; one matching all keeps all of it. */
const QUERY_COVERAGE_FLOOR = 0.3;
/** Words for the caller, which APIs call the authenticated user, `self` or `me`. */
const FIRST_PERSON = /\b(i|me|my|mine|myself)\b/gi;

/** Builds the index of a set of tools. The same documents in the same order always give the same index. */
export function buildSearchIndex(documents: SearchDocument[]): SearchIndex {
  const fieldTerms = documents.map((document) => Object.fromEntries(FIELDS.map((field) => [field, analyze(fieldText(document, field))])) as { [field in Field]: string[] });
  const averageLength = Object.fromEntries(
    FIELDS.map((field) => [field, Math.max(1, fieldTerms.reduce((sum, terms) => sum + terms[field].length, 0) / Math.max(1, documents.length))]),
  ) as { [field in Field]: number };

  const weights = new Map<string, Map<number, number>>();
  fieldTerms.forEach((terms, doc) => {
    for (const field of FIELDS) {
      const norm = 1 - FIELD_B[field] + (FIELD_B[field] * terms[field].length) / averageLength[field];
      for (const term of terms[field]) {
        let byDoc = weights.get(term);
        if (!byDoc) weights.set(term, (byDoc = new Map()));
        byDoc.set(doc, (byDoc.get(doc) ?? 0) + FIELD_WEIGHTS[field] / norm);
      }
    }
  });

  const terms = [...weights.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const termNumber = new Map(terms.map((term, i) => [term, i]));
  const postings = terms.map((term) => [...weights.get(term)!].flatMap(([doc, weight]) => [doc, Math.max(1, Math.round(weight * 1000))]));
  const nameTerms = fieldTerms.map((terms) => [...new Set(terms.name)].map((term) => termNumber.get(term)!).sort((a, b) => a - b));
  return { version: 1, names: documents.map((document) => document.name), terms, postings, nameTerms };
}

/**
 * The `limit` best tools for `query`, best first; ties go to the name that sorts first. Tools matching no query
 * word are left out, and so are those `include` (when given) refuses.
 */
export function searchTools(index: SearchIndex, query: string, limit: number, options: { include?: (name: string) => boolean } = {}): SearchHit[] {
  const lookup = termLookup(index);
  const documentCount = index.names.length;
  const { terms, wordCount } = expandQuery(query, lookup);
  const scores = new Float64Array(documentCount);
  /** Which query words each document matches, one bit per word. */
  const matchedWords = new Uint32Array(documentCount);
  const termWeights = new Map<number, number>();

  for (const { term, weight, words } of terms) {
    termWeights.set(term, weight);
    const posting = index.postings[term]!;
    const frequency = posting.length / 2;
    const idf = Math.log(1 + (documentCount - frequency + 0.5) / (frequency + 0.5));
    for (let i = 0; i < posting.length; i += 2) {
      const doc = posting[i]!;
      const tf = posting[i + 1]! / 1000;
      scores[doc]! += weight * idf * ((tf * (K1 + 1)) / (tf + K1));
      matchedWords[doc]! |= words;
    }
  }

  const best: SearchHit[] = [];
  const wanted = Math.max(0, Math.floor(limit));
  for (let doc = 0; doc < documentCount && wanted > 0; doc++) {
    const score = scores[doc]!;
    if (score === 0 || (best.length === wanted && score * (1 + NAME_COVERAGE_BONUS) < best[wanted - 1]!.score)) continue;
    const nameTerms = index.nameTerms[doc]!;
    let covered = 0;
    for (const term of nameTerms) covered += termWeights.get(term) ?? 0;
    const nameCoverage = nameTerms.length === 0 ? 0 : covered / nameTerms.length;
    const queryCoverage = bitCount(matchedWords[doc]!) / wordCount;
    const total = Math.round(score * (1 + NAME_COVERAGE_BONUS * nameCoverage) * (QUERY_COVERAGE_FLOOR + (1 - QUERY_COVERAGE_FLOOR) * queryCoverage) * 1000) / 1000;
    const name = index.names[doc]!;
    if (best.length === wanted && !ranksBefore(total, name, best[wanted - 1]!)) continue;
    if (options.include && !options.include(name)) continue;
    // Keeps only the best `limit` hits, in order: no sort of every match.
    let at = best.length;
    while (at > 0 && ranksBefore(total, name, best[at - 1]!)) at--;
    best.splice(at, 0, { name, score: total });
    if (best.length > wanted) best.pop();
  }
  return best;
}

function ranksBefore(score: number, name: string, other: SearchHit): boolean {
  return score > other.score || (score === other.score && name < other.name);
}

function bitCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
}

const lookups = new WeakMap<SearchIndex, Map<string, number>>();

function termLookup(index: SearchIndex): Map<string, number> {
  let lookup = lookups.get(index);
  if (!lookup) lookups.set(index, (lookup = new Map(index.terms.map((term, i) => [term, i]))));
  return lookup;
}

function fieldText(document: SearchDocument, field: Field): string {
  if (field === 'action') return actionWords(document);
  const value = document[field];
  return Array.isArray(value) ? value.join(' ') : field === 'description' ? value.slice(0, DESCRIPTION_CHARS) : value;
}

/** What an operation does, in words, from its method and whether its path ends at one item (`/pets/{id}`) or a collection. */
function actionWords({ method, path }: SearchDocument): string {
  const item = path !== undefined && /\}\/?$/.test(path);
  switch (method?.toUpperCase()) {
    case 'GET':
      return item ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update replace';
    case 'PATCH':
      return 'update';
    case 'DELETE':
      return 'delete';
    default:
      return '';
  }
}

/**
 * The index terms of a query, by term number: its own words, their synonyms, and, for words the index lacks,
 * the terms they begin or that begin them; each with its weight and the query words (as bits) it stands for.
 */
function expandQuery(query: string, lookup: Map<string, number>): { terms: { term: number; weight: number; words: number }[]; wordCount: number } {
  const terms = new Map<number, { term: number; weight: number; words: number }>();
  const add = (term: string, weight: number, word: number) => {
    const number = lookup.get(term);
    if (number === undefined) return;
    const known = terms.get(number);
    if (known) Object.assign(known, { weight: Math.max(known.weight, weight), words: known.words | (1 << word) });
    else terms.set(number, { term: number, weight, words: 1 << word });
  };
  const words = [...new Set(termWords(rewritePhrases(query).replace(FIRST_PERSON, 'me')).map(stem))].slice(0, 32);
  words.forEach((term, word) => {
    add(term, 1, word);
    for (const synonym of synonymsOf(term)) add(synonym, SYNONYM_WEIGHT, word);
    if (!lookup.has(term) && term.length >= 4) {
      for (const known of lookup.keys()) if (known.length >= 4 && (known.startsWith(term) || term.startsWith(known))) add(known, PREFIX_WEIGHT, word);
    }
  });
  return { terms: [...terms.values()], wordCount: Math.max(1, words.length) };
}

/** Two-word verbs that mean one API verb. */
const PHRASES: [RegExp, string][] = [
  [/\bset\s+up\b/gi, 'setup'],
  [/\bopen\s+(a|an|new)\b/gi, 'create $1'],
  [/\bturn\s+on\b/gi, 'enable'],
  [/\bturn\s+off\b/gi, 'disable'],
  [/\blogged\s+in\b/gi, 'authenticated'],
];

function rewritePhrases(query: string): string {
  return PHRASES.reduce((text, [phrase, word]) => text.replace(phrase, word), query);
}

/** The literal segments of a path template, split into words: `/repos/{owner}/{repo}/git-refs` → `repos`, `git`, `refs`. */
export function pathWords(path: string): string[] {
  return path
    .split('/')
    .filter((segment) => segment && !segment.includes('{'))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
}

/** Splits text into lower-case words: at non-alphanumerics, camelCase humps (`HTTPServer` → http server) and letter/digit edges. */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** The stemmed, stop-word-free terms of a text. */
export function analyze(text: string): string[] {
  return termWords(text).map(stem);
}

/** The words of a text that can be terms, plus each word that mixes letters and digits kept whole (`widget0042`, `ipv4`). */
function termWords(text: string): string[] {
  const compounds = (text.match(/[A-Za-z0-9]+/g) ?? []).filter((word) => /[A-Za-z]/.test(word) && /[0-9]/.test(word)).map((word) => word.toLowerCase());
  return [...splitWords(text), ...compounds].filter(isTermWord);
}

/** Stop words, single letters and bare numbers (ids in a request, versions in a name) carry no meaning for search. */
function isTermWord(word: string): boolean {
  return word.length > 1 && !STOP_WORDS.has(word) && !/^[0-9]+$/.test(word);
}

const STOP_WORDS = new Set(
  (
    'a an and any are as at be been by can do does for from give how if in into is it its of on or our please ' +
    'show should that the their them then there these this those to us using via want we what when where which who will with ' +
    'would you your'
  ).split(' '),
);

/** Groups of words a user says interchangeably for what an API names one way; each maps to the others. */
const SYNONYM_GROUPS = [
  ['delete', 'remove', 'destroy', 'erase'],
  ['create', 'add', 'new', 'make', 'register', 'setup', 'write', 'leave', 'submit'],
  ['update', 'edit', 'modify', 'change', 'set', 'rename', 'close'],
  ['list', 'enumerate', 'browse'],
  ['all', 'every'],
  ['label', 'tag'],
  ['issue', 'bug', 'ticket'],
  ['latest', 'newest', 'recent', 'last'],
  ['enable', 'activate'],
  ['disable', 'deactivate'],
  ['search', 'find', 'query'],
  ['get', 'fetch', 'retrieve', 'read', 'detail', 'info', 'view', 'inspect', 'look'],
  ['repo', 'repository'],
  ['org', 'organization', 'organisation'],
  ['config', 'configuration', 'setting'],
  ['env', 'environment'],
  ['pr', 'pull'],
  ['user', 'member', 'account', 'people', 'person'],
  ['cancel', 'abort', 'stop', 'terminate'],
  ['replace', 'overwrite'],
  ['k8s', 'kubernetes'],
  ['me', 'authenticated', 'self', 'current', 'viewer'],
];
let synonyms: Map<string, string[]> | undefined;

/** The stems said interchangeably with a stem, from {@link SYNONYM_GROUPS}. */
function synonymsOf(term: string): string[] {
  if (!synonyms) {
    synonyms = new Map();
    for (const group of SYNONYM_GROUPS) {
      const stems = group.map(stem);
      for (const one of stems) synonyms.set(one, [...new Set([...(synonyms.get(one) ?? []), ...stems.filter((other) => other !== one)])]);
    }
  }
  return synonyms.get(term) ?? [];
}

/**
 * The stem of a lower-case English word, after M. F. Porter's 1980 suffix-stripping algorithm: plurals and
 * -ed/-ing first, then derivational suffixes, each removed only where enough of the word remains.
 */
export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  // Step 1a: plurals.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = w.slice(0, -2);
  else if (!w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is') && w.endsWith('s')) w = w.slice(0, -1);
  // Step 1b: -eed, -ed, -ing.
  if (w.endsWith('eed')) {
    if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
  } else {
    const suffix = w.endsWith('ed') ? 'ed' : w.endsWith('ing') ? 'ing' : '';
    const base = w.slice(0, w.length - suffix.length);
    if (suffix && hasVowel(base)) {
      w = base;
      if (/(at|bl|iz)$/.test(w)) w += 'e';
      else if (endsWithDoubleConsonant(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
      else if (measure(w) === 1 && endsCvc(w)) w += 'e';
    }
  }
  // Step 1c: y → i after a vowel-bearing stem.
  if (w.endsWith('y') && hasVowel(w.slice(0, -1))) w = `${w.slice(0, -1)}i`;
  w = replaceSuffix(w, STEP2, 0);
  w = replaceSuffix(w, STEP3, 0);
  w = replaceSuffix(w, STEP4, 1);
  // Step 5: a final -e, and -ll.
  if (w.endsWith('e')) {
    const base = w.slice(0, -1);
    const m = measure(base);
    if (m > 1 || (m === 1 && !endsCvc(base))) w = base;
  }
  if (measure(w) > 1 && w.endsWith('ll')) w = w.slice(0, -1);
  return w;
}

const STEP2: [string, string][] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['abli', 'able'],
  ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'],
  ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'],
  ['iviti', 'ive'], ['biliti', 'ble'],
];
const STEP3: [string, string][] = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
];
const STEP4: [string, string][] = [
  ['al', ''], ['ance', ''], ['ence', ''], ['er', ''], ['ic', ''], ['able', ''], ['ible', ''], ['ant', ''],
  ['ement', ''], ['ment', ''], ['ent', ''], ['ion', ''], ['ou', ''], ['ism', ''], ['ate', ''], ['iti', ''],
  ['ous', ''], ['ive', ''], ['ize', ''],
];

/** Replaces the longest listed suffix of `word` when the stem left before it has a measure above `minMeasure`. */
function replaceSuffix(word: string, rules: [string, string][], minMeasure: number): string {
  let best: [string, string] | undefined;
  for (const rule of rules) if (word.endsWith(rule[0]) && (!best || rule[0].length > best[0].length)) best = rule;
  if (!best) return word;
  const base = word.slice(0, word.length - best[0].length);
  if (measure(base) <= minMeasure) return word;
  if (best[0] === 'ion' && !/[st]$/.test(base)) return word;
  return base + best[1];
}

function isConsonant(word: string, i: number): boolean {
  const c = word[i]!;
  if ('aeiou'.includes(c)) return false;
  if (c === 'y') return i === 0 || !isConsonant(word, i - 1);
  return true;
}

/** Porter's m: the number of vowel-consonant sequences in the word. */
function measure(word: string): number {
  let m = 0;
  let previousVowel = false;
  for (let i = 0; i < word.length; i++) {
    const vowel = !isConsonant(word, i);
    if (!vowel && previousVowel) m++;
    previousVowel = vowel;
  }
  return m;
}

function hasVowel(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (!isConsonant(word, i)) return true;
  return false;
}

function endsWithDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

/** Consonant-vowel-consonant at the end, the last not w, x or y: `hop`, not `snow`. */
function endsCvc(word: string): boolean {
  const n = word.length;
  return n >= 3 && isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1) && !'wxy'.includes(word[n - 1]!);
}
