import { Optional } from '@marcbachmann/cel-js';
import { isLabelKey, isLabelValue } from '../kube/label-selector.js';
import type { CelLibrary } from './cel-library.js';
import { parseUrl } from './url.js';

// Kubernetes' format library (k8s.io/apiserver/pkg/cel/library/format.go): named validators from
// k8s.io/apimachinery/pkg/util/validation. `format.<name>().validate(s)` is optional.none() when `s`
// is valid, else the list of error messages; `format.named(name)` finds one by name.

export class NamedFormat {
  constructor(
    readonly name: string,
    readonly validate: (value: string) => string[],
  ) {}
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const maxLength = (max: number) => `must be no more than ${max} characters`;

function regexFormat(max: number, re: RegExp, what: string, example: string, source: string) {
  return (value: string): string[] => {
    const errors: string[] = [];
    if (value.length > max) errors.push(maxLength(max));
    if (!re.test(value)) errors.push(`${what} (e.g. ${example}, regex used for validation is '${source}')`);
    return errors;
  };
}

const dns1123Label = regexFormat(
  63,
  DNS1123_LABEL,
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  "'my-name',  or '123-abc'",
  '[a-z0-9]([-a-z0-9]*[a-z0-9])?',
);
const dns1123Subdomain = regexFormat(
  253,
  DNS1123_SUBDOMAIN,
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  "'example.com'",
  '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*',
);
const dns1035Label = regexFormat(
  63,
  DNS1035_LABEL,
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  "'my-name',  or 'abc-123'",
  '[a-z]([-a-z0-9]*[a-z0-9])?',
);

// Name prefixes (generateName): a trailing '-' is allowed, as apimachinery's MaskTrailingDash does.
const prefix = (validate: (v: string) => string[]) => (value: string) =>
  validate(value.length > 1 && value.endsWith('-') ? `${value.slice(0, -1)}a` : value);

function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

const FORMATS: readonly NamedFormat[] = [
  new NamedFormat('dns1123Label', dns1123Label),
  new NamedFormat('dns1123Subdomain', dns1123Subdomain),
  new NamedFormat('dns1035Label', dns1035Label),
  new NamedFormat('dns1123LabelPrefix', prefix(dns1123Label)),
  new NamedFormat('dns1123SubdomainPrefix', prefix(dns1123Subdomain)),
  new NamedFormat('dns1035LabelPrefix', prefix(dns1035Label)),
  new NamedFormat('qualifiedName', (v) =>
    isLabelKey(v)
      ? []
      : [
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ],
  ),
  new NamedFormat('labelValue', (v) =>
    isLabelValue(v)
      ? []
      : [
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ],
  ),
  new NamedFormat('uri', (v) => (parseUrl(v) ? [] : ['invalid URI'])),
  new NamedFormat('uuid', (v) => (UUID.test(v) ? [] : ['does not match the UUID format'])),
  new NamedFormat('byte', (v) =>
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v) ? [] : ['invalid base64'],
  ),
  new NamedFormat('date', (v) => (isDate(v) ? [] : ['invalid date'])),
  new NamedFormat('datetime', (v) =>
    /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) &&
    isDate(v.slice(0, 10)) &&
    !Number.isNaN(Date.parse(v))
      ? []
      : ['invalid datetime'],
  ),
];

/** The receiver of `format.…()` calls. */
class FormatNamespace {}

export const formatLibrary: CelLibrary = {
  name: 'format',
  register(env) {
    env
      .registerType('kubernetes.NamedFormat', NamedFormat)
      .registerType('kubernetes.FormatNamespace', FormatNamespace)
      .registerConstant('format', 'kubernetes.FormatNamespace', new FormatNamespace())
      .registerFunction(
        'kubernetes.NamedFormat.validate(string): optional<list<string>>',
        (f: NamedFormat, v: string) => {
          const errors = f.validate(v);
          return errors.length === 0 ? Optional.none() : Optional.of(errors);
        },
      )
      .registerFunction(
        'kubernetes.FormatNamespace.named(string): optional<kubernetes.NamedFormat>',
        (_: FormatNamespace, name: string) => {
          const found = FORMATS.find((f) => f.name === name);
          return found ? Optional.of(found) : Optional.none();
        },
      );
    for (const f of FORMATS)
      env.registerFunction(`kubernetes.FormatNamespace.${f.name}(): kubernetes.NamedFormat`, () => f);
  },
};
