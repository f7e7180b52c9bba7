// Kubernetes' name and label validators (k8s.io/apimachinery/pkg/util/validation and
// pkg/api/validation), each returning the API server's messages: the format library hands these
// lists to policies verbatim. Lengths are counted in bytes, as Go counts them.

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';

const whole = (source: string) => new RegExp(`^(?:${source})$`);
const dns1123LabelRe = whole(DNS1123_LABEL);
const dns1123SubdomainRe = whole(DNS1123_SUBDOMAIN);
const dns1035LabelRe = whole(DNS1035_LABEL);
const qualifiedNameRe = whole(QUALIFIED_NAME);
const labelValueRe = whole(LABEL_VALUE);

const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
const maxLength = (max: number) => `must be no more than ${max} characters`;
const EMPTY = 'must be non-empty';

/** validation.RegexError: the message, examples and the pattern used. */
function regexError(message: string, pattern: string, ...examples: string[]): string {
  return `${message} (e.g. ${examples.map((e) => `'${e}'`).join(',  or ')}, regex used for validation is '${pattern}')`;
}

export function dns1123Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLength(63));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots.
    if (dns1123SubdomainRe.test(value)) errors.push('must not contain dots');
    else
      errors.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errors;
}

/** A validator of a length limit and a pattern, each failing with its own message. */
function lengthAndPattern(max: number, re: RegExp, patternError: string): (value: string) => string[] {
  return (value) => {
    const errors: string[] = [];
    if (byteLength(value) > max) errors.push(maxLength(max));
    if (!re.test(value)) errors.push(patternError);
    return errors;
  };
}

export const dns1123Subdomain = lengthAndPattern(
  253,
  dns1123SubdomainRe,
  regexError(
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    DNS1123_SUBDOMAIN,
    'example.com',
  ),
);

export const dns1035Label = lengthAndPattern(
  63,
  dns1035LabelRe,
  regexError(
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    DNS1035_LABEL,
    'my-name',
    'abc-123',
  ),
);

/**
 * For generateName prefixes: a trailing '-' is allowed. apimachinery's maskTrailingDash replaces
 * the last two characters by one 'a' (not just the dash), and the checks then see that text.
 */
export const asPrefix =
  (validate: (value: string) => string[]) =>
  (value: string): string[] =>
    validate(value.length > 1 && value.endsWith('-') ? `${value.slice(0, -2)}a` : value);

export function qualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2)
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  const errors: string[] = [];
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') errors.push(`prefix part ${EMPTY}`);
    else errors.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === '') errors.push(`name part ${EMPTY}`);
  else if (byteLength(name) > 63) errors.push(`name part ${maxLength(63)}`);
  if (!qualifiedNameRe.test(name))
    errors.push(
      `name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')}`,
    );
  return errors;
}

export const labelValue = lengthAndPattern(
  63,
  labelValueRe,
  regexError(
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    LABEL_VALUE,
    'MyValue',
    'my_value',
    '12345',
  ),
);
