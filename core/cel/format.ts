import { Optional } from '@marcbachmann/cel-js';
import type { CelLibrary } from './cel-library.js';
import { parseRequestUri } from './go-url.js';
import {
  asPrefix,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  labelValue,
  qualifiedName,
} from './name-validation.js';

// Kubernetes' format library (k8s.io/apiserver/pkg/cel/library/format.go): named validators from
// k8s.io/apimachinery/pkg/util/validation. `format.<name>().validate(s)` is optional.none() when `s`
// is valid, else the list of error messages; `format.named(name)` finds one by name.

export class NamedFormat {
  constructor(
    readonly name: string,
    readonly validate: (value: string) => string[],
  ) {}
}

// strfmt's uuid (kube-openapi): hex groups, the dashes optional, any case.
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
// govalidator's IsBase64, which strfmt's `byte` uses: at least one group, so '' is not base64.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
// strfmt's time part of a date-time, on the lower-cased text; '.' before the fraction is any
// character there too.
const TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;

/** strfmt's date: Go's time.Parse of "2006-01-02", which checks the day against the month. */
function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * strfmt's IsDateTime: the lower-cased text split at 't', a date before the first and the time
 * pattern on what follows it, hours ≤ 23, minutes and seconds ≤ 59 compared as text.
 */
function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0] ?? '')) return false;
  const m = TIME.exec(parts[1] ?? '');
  return m !== null && (m[1] ?? '') <= '23' && (m[2] ?? '') <= '59' && (m[3] ?? '') <= '59';
}

function uriErrors(value: string): string[] {
  const parsed = parseRequestUri(value);
  return typeof parsed === 'string' ? [parsed] : [];
}

const check = (valid: (v: string) => boolean, message: string) => (v: string) => (valid(v) ? [] : [message]);

const FORMATS: readonly NamedFormat[] = [
  new NamedFormat('dns1123Label', dns1123Label),
  new NamedFormat('dns1123Subdomain', dns1123Subdomain),
  new NamedFormat('dns1035Label', dns1035Label),
  new NamedFormat('qualifiedName', qualifiedName),
  new NamedFormat('dns1123LabelPrefix', asPrefix(dns1123Label)),
  new NamedFormat('dns1123SubdomainPrefix', asPrefix(dns1123Subdomain)),
  new NamedFormat('dns1035LabelPrefix', asPrefix(dns1035Label)),
  new NamedFormat('labelValue', labelValue),
  new NamedFormat('uri', uriErrors),
  new NamedFormat(
    'uuid',
    check((v) => UUID.test(v), 'does not match the UUID format'),
  ),
  new NamedFormat(
    'byte',
    check((v) => BASE64.test(v), 'invalid base64'),
  ),
  new NamedFormat('date', check(isDate, 'invalid date')),
  new NamedFormat('datetime', check(isDateTime, 'invalid datetime')),
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
      // Each format is one object, so two formats are equal when they are the same format.
      .registerOperator(
        'kubernetes.NamedFormat == kubernetes.NamedFormat',
        (a: NamedFormat, b: NamedFormat) => a === b,
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
