/** The environment as a plain lookup; injected so loading is pure and testable. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The value of an environment variable, or undefined when it is unset or empty. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Why a reference could not be substituted. */
export interface SubstitutionProblem {
  /** `unset`: a valid name with no value and no default; `invalid`: not a name; `nested`: `${A:-${B}}`. */
  readonly kind: 'unset' | 'invalid' | 'nested';
  /** The variable name, or the whole reference text for `invalid` and `nested`. */
  readonly name: string;
}

/** Result of substituting one string: the new text, or what could not be substituted. */
export type Substitution =
  | { readonly ok: true; readonly value: string; readonly changed: boolean }
  | { readonly ok: false; readonly problems: readonly SubstitutionProblem[] };

// `$${...}` is an escaped literal; `${NAME}` or `${NAME:-default}` is a reference.
const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` with values from `env`; `$${VAR}` stays as the literal
 * `${VAR}`. An unset variable without a default, a reference that is not a name, and a nested
 * reference (`${A:-${B}}`, which is not supported) are reported, never substituted wrongly.
 */
export function substituteEnv(text: string, env: Environment): Substitution {
  const problems: SubstitutionProblem[] = [];
  let changed = false;
  const value = text.replace(REFERENCE, (whole, escape: string, body: string) => {
    changed = true;
    if (escape === '$') return whole.slice(1);
    const separator = body.indexOf(':-');
    const name = separator === -1 ? body : body.slice(0, separator);
    if (body.includes('${')) {
      problems.push({ kind: 'nested', name: `${whole}}` });
      return whole;
    }
    if (!NAME.test(name)) {
      problems.push({ kind: 'invalid', name: whole });
      return whole;
    }
    const found = env[name];
    if (separator !== -1)
      return found === undefined || found === '' ? body.slice(separator + 2) : found;
    if (found === undefined) problems.push({ kind: 'unset', name });
    return found ?? whole;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value, changed };
}

/** One sentence per problem, naming the reference and the fix. */
export function describeSubstitutionProblem(problem: SubstitutionProblem): string {
  switch (problem.kind) {
    case 'unset':
      return `environment variable ${problem.name} is not set; set it, give a default with \${${problem.name}:-value}, or write $\${${problem.name}} for the literal text`;
    case 'invalid':
      return problem.name === '${}'
        ? '"${}" has no variable name: write ${NAME}, or $${} for the literal text'
        : `"${problem.name}" is not a valid environment variable reference: names use letters, digits and _ and do not start with a digit (write $${problem.name.slice(1)} for the literal text)`;
    case 'nested':
      return `"${problem.name}" is a nested reference (a reference inside a default), which is not supported: set the outer variable, or write the default literally`;
  }
}
