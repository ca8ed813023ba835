import { toWords } from './names.js';

/**
 * Reduces a word to a crude stem so that singular and plural, and noun and verb, meet:
 * `tokens` → `token`, `protection` → `protect`, `policies` → `policy`, `evictions` → `evict`.
 */
export function stem(word: string): string {
  let result = word.toLowerCase();
  if (result.length > 4 && result.endsWith('ies')) result = `${result.slice(0, -3)}y`;
  else if (result.length > 4 && /(?:ches|shes|sses|xes)$/.test(result)) result = result.slice(0, -2);
  else if (result.length > 3 && result.endsWith('s') && !/(?:ss|us|is)$/.test(result)) result = result.slice(0, -1);
  if (result.length > 6 && result.endsWith('ion')) result = result.slice(0, -3);
  return result;
}

/** The stems of a text's words, in order. */
export function stemsOf(text: string | undefined): string[] {
  return text ? toWords(text).map(stem) : [];
}

/** A set of stems built from plain words, so that vocabularies can be written naturally. */
export function vocabulary(words: string): ReadonlySet<string> {
  return new Set(words.split(/\s+/).filter(Boolean).map(stem));
}

/** Words of an administrative area: any operation under them is admin. */
export const adminWords = vocabulary('admin admins administration administrator internal management system debug superuser sudo');

/** Verbs and nouns of writes that delete, revoke or overwrite something. */
export const destructiveWords = vocabulary(
  'delete remove purge destroy revoke reset wipe terminate erase truncate cancel void kick evict',
);

/** Acts that cannot be taken back, named as such. */
export const irreversibleWords = vocabulary('purge destroy wipe erase void reject evict eviction finalize');

/** The last path word of a write that moves money: `/charges`, `/refunds`, `/invoices/{id}/pay`. */
export const moneyWords = vocabulary('charge charges refund refunds payout payouts pay payment payments capture withdraw withdrawal disburse disbursement topup topups reverse reversal reversals');

/** Words of credentials and secrets: writes to them issue or change credentials. */
export const credentialWords = vocabulary('secret secrets token tokens credential credentials password passwords kubeconfig certificate certificates privatekey login oauth oauth2');

/** Resources named like keys: `/keys`, `/deploy_keys`, `/api_keys` (KV stores' keys are not credentials). */
export const keyWords = vocabulary('key keys apikey apikeys');

/** Words of running code or commands. */
export const executionWords = vocabulary('exec execute shell command commands eval dispatches rerun script scripts invoke invocation invocations');

/** Words of who may do what and who owns what. */
export const accessWords = vocabulary(
  'permission permissions role roles rolebinding rolebindings clusterrole clusterroles clusterrolebinding clusterrolebindings rbac acl acls policy policies collaborator collaborators collaboration collaborations protection ownership invitation invitations invite access grant grants sso saml scim hook hooks webhook webhooks share shared sharing allow allowlist',
);

/** Membership is access control only under these: an org's members, not a mailing list's. */
export const membershipContexts = vocabulary(
  'org orgs organization organizations team teams group groups workspace workspaces project projects repo repos repository enterprise enterprises account accounts tenant tenants role roles guild guilds space spaces portfolio portfolios zone zones channel channels',
);
export const memberWords = vocabulary('member members membership memberships user users');

/** A write directly on one of these changes the whole account, organization or site. */
export const accountWords = vocabulary('org orgs organization organizations account accounts enterprise enterprises tenant tenants workspace workspaces zone zones guild guilds settings setting');

/** Verbs that make a POST a read when they lead its operationId or summary (compared unstemmed: `lists` is a noun). */
export const readVerbs: ReadonlySet<string> = new Set('search query list get find lookup count retrieve fetch describe read render preview'.split(' '));

/** Qualifiers that make a key or token word harmless: `public_key`, `next_page_token`. */
export const harmlessQualifiers = vocabulary('public page next continue continuation cursor sync type expire expires expiry expired url name names id ids count format length last used at max min limit enabled required automount');

/** Phrases of a description that call the action irreversible. */
export const irreversiblePhrases = [/\bcannot be undone\b/i, /\birreversibl[ey]\b/i, /\bpermanently (?:delete|remove|destroy|erase)/i, /\bcan ?not be (?:reversed|recovered|restored)\b/i];
