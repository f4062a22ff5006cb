/** What `git push -o …` asks of the pipelines, as GitLab's `Gitlab::PushOptions` reads `ci.skip` and `ci.variable`. */
export interface PushOptions {
  readonly skipCi: boolean;
  readonly variables: { readonly key: string; readonly value: string }[];
}

export function parsePushOptions(options: readonly string[]): PushOptions {
  const variables: { key: string; value: string }[] = [];
  let skipCi = false;
  for (const option of options) {
    if (option === 'ci.skip') skipCi = true;
    const variable = /^ci\.variable=([^=]+)=(.*)$/s.exec(option);
    if (variable) variables.push({ key: variable[1], value: variable[2] });
  }
  return { skipCi, variables };
}
