/** The environment as a plain lookup; injected so loading is pure and testable. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Result of substituting one string: the new text, or the variables that were unset. */
export type Substitution =
  | { readonly ok: true; readonly value: string; readonly changed: boolean }
  | { readonly ok: false; readonly missing: readonly string[] };

// `$${...}` is an escaped literal; `${NAME}` or `${NAME:-default}` is a reference.
const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` with values from `env`; `$${VAR}` stays as the literal
 * `${VAR}`. A variable that is unset (or empty, for the `:-` form) without a default is reported.
 */
export function substituteEnv(text: string, env: Environment): Substitution {
  const missing: string[] = [];
  let changed = false;
  const value = text.replace(REFERENCE, (whole, escape: string, body: string) => {
    changed = true;
    if (escape === '$') return whole.slice(1);
    const separator = body.indexOf(':-');
    const name = separator === -1 ? body : body.slice(0, separator);
    if (!NAME.test(name)) {
      missing.push(body);
      return whole;
    }
    const found = env[name];
    if (separator !== -1) {
      return found === undefined || found === '' ? body.slice(separator + 2) : found;
    }
    if (found === undefined) missing.push(name);
    return found ?? whole;
  });
  return missing.length > 0 ? { ok: false, missing } : { ok: true, value, changed };
}
