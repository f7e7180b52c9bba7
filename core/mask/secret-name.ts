/**
 * Whether a variable or key name says its value is a credential: `DB_PASSWORD`, `apiKey`,
 * `AWS_SECRET_ACCESS_KEY`, `client-secret`. Judged on words, not substrings, so `BYPASS_CACHE`,
 * `PASSENGER_COUNT` or `TOKENIZER_MODEL` are not credentials, and names that hold a reference to one
 * (`PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`) are not either.
 */
export function isSecretName(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = judgeName(name);
    if (verdicts.size >= VERDICT_LIMIT) verdicts.clear();
    verdicts.set(name, verdict);
  }
  return verdict;
}

// Verdicts by name: a large input repeats a few hundred variable names in every workload, and
// splitting a name into words (three regular expressions) showed in profiles of bench:config. Names
// only, never values; emptied past VERDICT_LIMIT names, so hostile input cannot grow it without end.
const VERDICT_LIMIT = 4096;
const verdicts = new Map<string, boolean>();

function judgeName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1]!;
  if (REFERENCE_SUFFIXES.has(last)) return false;
  return (
    words.some(
      (word, i) => SECRET_WORDS.has(word) || (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)),
    ) || words.some((w) => COMPOUNDS.has(w))
  );
}

// Split `DB_PASSWORD`, `dbPassword`, `db-password`, `db.password` alike into lower-case words.
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
  'clientsecret',
]);
// `<qualifier>_KEY` names a key material; a bare `KEY` (or `SORT_KEY`, `CACHE_KEY`) does not.
const KEY_QUALIFIERS = new Set([
  'api',
  'private',
  'secret',
  'access',
  'signing',
  'encryption',
  'master',
  'auth',
  'session',
  'license',
  'account',
  'hmac',
  'jwt',
  'ssh',
  'client',
]);
const COMPOUNDS = new Set(['dbpass', 'sshkey', 'authkey', 'apitoken', 'authtoken', 'bearertoken']);
// A last word that makes the value a pointer to the secret (a path, a URL, a name), or a setting about it.
const REFERENCE_SUFFIXES = new Set([
  'file',
  'path',
  'dir',
  'url',
  'uri',
  'endpoint',
  'name',
  'ref',
  'header',
  'location',
  'mount',
  'length',
  'ttl',
  'expiry',
  'expiration',
  'timeout',
  'type',
  'policy',
  'enabled',
  'required',
  'min',
  'max',
  'count',
  'id',
  'version',
  'format',
  'algorithm',
  'issuer',
  'audience',
  'env',
  'var',
  'field',
  'namespace',
  'size',
  'limit',
  'rate',
]);
