/**
 * NATS subject matching (nats.io "Subject-Based Messaging"): tokens split on `.`, `*` matches exactly one
 * token, a final `>` one or more.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return i === p.length - 1 && s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

const TOKEN = /^[^\s.*>]+$/;

/** A subject to publish on: non-empty tokens, no wildcards, no whitespace. */
export function checkPublishSubject(subject: string): string {
  if (typeof subject !== 'string' || !subject.split('.').every((t) => TOKEN.test(t)))
    throw new Error(
      `invalid subject ${JSON.stringify(subject)}: tokens must be non-empty, no wildcards or spaces`,
    );
  return subject;
}

/** A subject to subscribe to: like a publish subject, but `*` may stand for a token and a final `>` for the rest. */
export function checkSubscribeSubject(subject: string): string {
  const tokens = typeof subject === 'string' ? subject.split('.') : [];
  const ok =
    tokens.length > 0 &&
    tokens.every((t, i) => t === '*' || (t === '>' && i === tokens.length - 1) || TOKEN.test(t));
  if (!ok) throw new Error(`invalid subscription subject ${JSON.stringify(subject)}`);
  return subject;
}
