/** One stage of a Dockerfile: its base, its name and the instructions in it. */
export interface DockerStage {
  /** The image or earlier stage it starts FROM, with tag and digest as written. */
  readonly from: string;
  readonly name: string | undefined;
  /** The value of `--platform=`, if given. */
  readonly platform: string | undefined;
  /** The stage's instructions after FROM, continuation lines joined, comments dropped. */
  readonly instructions: readonly string[];
}

/** `FROM [--flag=...] image [AS name]`. */
const FROM = /^FROM\s+((?:--\S+\s+)*)(\S+)(?:\s+AS\s+(\S+))?$/i;

/** The stages of a Dockerfile, in order. */
export function dockerStages(dockerfile: string): DockerStage[] {
  const stages: {
    from: string;
    name: string | undefined;
    platform: string | undefined;
    instructions: string[];
  }[] = [];
  const logical = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of logical) {
    const from = FROM.exec(line);
    if (from !== null) {
      const platform = /--platform=(\S+)/.exec(from[1] ?? '')?.[1];
      stages.push({ from: from[2] as string, name: from[3], platform, instructions: [] });
    } else stages[stages.length - 1]?.instructions.push(line.replace(/\s+/g, ' '));
  }
  return stages;
}

/** The external base images of a Dockerfile (a stage built FROM an earlier stage is not one). */
export function baseImages(dockerfile: string): string[] {
  const stages = dockerStages(dockerfile);
  const names = new Set(stages.map((stage) => stage.name).filter((name) => name !== undefined));
  return [...new Set(stages.map((stage) => stage.from).filter((from) => !names.has(from)))];
}
