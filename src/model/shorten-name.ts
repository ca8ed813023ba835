/**
 * Words that carry little meaning in a name, dropped first when a name is too long
 * (`list_pods_for_all_namespaces_with_watch` → `list_pods_all_namespaces_watch`).
 */
const fillerWords = new Set(['a', 'an', 'the', 'of', 'for', 'by', 'to', 'in', 'on', 'with', 'from', 'at', 'and', 'or', 'is', 'as', 'via', 'using']);

/** Common long words of API names and their usual abbreviations, used when dropping filler words is not enough. */
const abbreviations = new Map<string, string>([
  ['administrator', 'admin'],
  ['administrators', 'admins'],
  ['application', 'app'],
  ['applications', 'apps'],
  ['attachment', 'attach'],
  ['attachments', 'attachs'],
  ['authentication', 'auth'],
  ['authorization', 'authz'],
  ['certificate', 'cert'],
  ['certificates', 'certs'],
  ['configuration', 'config'],
  ['configurations', 'configs'],
  ['database', 'db'],
  ['databases', 'dbs'],
  ['definition', 'def'],
  ['definitions', 'defs'],
  ['deployment', 'deploy'],
  ['deployments', 'deploys'],
  ['description', 'desc'],
  ['directory', 'dir'],
  ['directories', 'dirs'],
  ['document', 'doc'],
  ['documents', 'docs'],
  ['environment', 'env'],
  ['environments', 'envs'],
  ['identifier', 'id'],
  ['identifiers', 'ids'],
  ['information', 'info'],
  ['kubernetes', 'k8s'],
  ['management', 'mgmt'],
  ['message', 'msg'],
  ['messages', 'msgs'],
  ['nameserver', 'ns'],
  ['nameservers', 'ns'],
  ['notification', 'notif'],
  ['notifications', 'notifs'],
  ['organization', 'org'],
  ['organizations', 'orgs'],
  ['parameter', 'param'],
  ['parameters', 'params'],
  ['permission', 'perm'],
  ['permissions', 'perms'],
  ['properties', 'props'],
  ['property', 'prop'],
  ['repository', 'repo'],
  ['repositories', 'repos'],
  ['specification', 'spec'],
  ['statistics', 'stats'],
  ['subscription', 'sub'],
  ['subscriptions', 'subs'],
  ['temporary', 'temp'],
]);

/** Words this long or longer are clipped (see `clipWord`) when abbreviating is not enough. */
const minimumCutLength = 8;

/**
 * Clips a word after its first syllable-like part: at least four letters, then up to the next vowel, so a
 * word is always clipped the same way (`horizontal` → `horiz`, `validating` → `valid`, `namespaced` → `namesp`).
 */
function clipWord(word: string): string {
  let end = 4;
  while (end < word.length && !/[aeiouy]/i.test(word[end]!)) end++;
  return word.slice(0, end);
}

/** The ways of shortening a name that keep every word whole, in the order they are tried. */
const readableSteps: ((words: string[]) => string[])[] = [
  (words) => words.filter((word, index) => index === 0 || index === words.length - 1 || !fillerWords.has(word.toLowerCase())),
  (words) => words.filter((word, index) => index === 0 || word.toLowerCase() !== words[index - 1]!.toLowerCase()),
  (words) => words.map((word) => abbreviations.get(word.toLowerCase()) ?? word),
];

/**
 * A name within `max` characters with every word whole: as it is, or without filler and repeated words, or
 * with common words abbreviated (each step only when the one before is not enough); undefined when a word
 * would have to be clipped or dropped.
 */
export function shortenReadably(name: string, max: number): string | undefined {
  if (name.length <= max) return name;
  const separator = name.includes('_') ? '_' : '-';
  let words = name.split(/[_-]+/).filter(Boolean);
  for (const step of readableSteps) {
    words = step(words);
    if (words.join(separator).length <= max) return words.join(separator);
  }
  return undefined;
}

/**
 * Shortens a name to at most `max` characters while keeping it readable: drops filler words and repeated
 * words, then abbreviates common words; then clips the longest words, middle ones first; and only then
 * drops words from the middle, keeping the first word (usually the verb) and the distinguishing tail.
 */
export function shortenName(name: string, max: number): string {
  const readable = shortenReadably(name, max);
  if (readable !== undefined) return readable;
  const separator = name.includes('_') ? '_' : '-';
  let words = readableSteps.reduce((list, step) => step(list), name.split(/[_-]+/).filter(Boolean));
  const fits = (): boolean => words.join(separator).length <= max;
  const cut = new Set<number>();
  while (!fits()) {
    let longest = -1;
    const rank = (index: number): number => words[index]!.length - (index === 0 || index === words.length - 1 ? 100 : 0);
    words.forEach((word, index) => {
      if (!cut.has(index) && word.length >= minimumCutLength && (longest === -1 || rank(index) > rank(longest))) longest = index;
    });
    if (longest === -1) break;
    words[longest] = clipWord(words[longest]!);
    cut.add(longest);
  }
  while (!fits() && words.length > 2) words.splice(1, 1);
  return words.join(separator).slice(0, max).replace(/[_-]+$/, '');
}
