/**
 * Default queue compaction threshold for the breadth-first Vault walk (requirement 5):
 * `min(1000, max(1, floor(maxSecretsPerMount / 100)))`.
 */
export function defaultCompactionThreshold(maxSecretsPerMount: number): number {
  return Math.min(1000, Math.max(1, Math.floor(maxSecretsPerMount / 100)));
}
