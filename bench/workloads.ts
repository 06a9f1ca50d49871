/** Deterministic pseudo-random numbers, so every bench run seeds the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One secret of about 1 KB with 3–10 keys, some nested. */
export function secretValue(index: number, salt = ''): Record<string, unknown> {
  const next = random(index + 1);
  const keys = 3 + Math.floor(next() * 8);
  const value: Record<string, unknown> = {};
  for (let k = 0; k < keys; k++) {
    const text = `${salt}${index.toString(36)}-${k}-`.padEnd(Math.floor(900 / keys), 'x');
    value[`key_${k}`] =
      k % 4 === 3 ? { nested: text.slice(0, 40), level: { deep: k, on: next() > 0.5 } } : text;
  }
  return value;
}

/** `count` secrets spread over a tree `depth` folders deep with `fanout` folders per level. */
export function treeSecrets(
  count: number,
  depth: number,
  fanout: number,
  prefix = '',
): Record<string, Record<string, unknown>> {
  const secrets: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < count; i++) {
    const folders = Array.from(
      { length: depth - 1 },
      (_, level) => `d${level}-${Math.floor(i / fanout ** level) % fanout}`,
    );
    secrets[`${prefix}${folders.join('/')}/s${i}`] = secretValue(i);
  }
  return secrets;
}
