/** The image line of action.yml: `docker://<registry>/<owner>/secretsync:<tag>@sha256:<hex>`. */
const IMAGE_LINE = /^(\s*image:\s*docker:\/\/[^\s@]+@)sha256:[0-9a-f]{64}\s*$/m;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Thrown when the digest or action.yml is not what the release expects. */
export class ActionDigestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionDigestError';
  }
}

/** Returns action.yml with its image pinned to `digest` (`sha256:` and 64 lowercase hex digits). */
export function pinActionDigest(actionYaml: string, digest: string): string {
  if (!DIGEST.test(digest))
    throw new ActionDigestError(`"${digest}" is not an image digest (sha256:<64 hex digits>)`);
  if (!IMAGE_LINE.test(actionYaml))
    throw new ActionDigestError(
      'action.yml has no `image: docker://...@sha256:<64 hex>` line to rewrite',
    );
  return actionYaml.replace(IMAGE_LINE, (_line, head: string) => `${head}${digest}`);
}
