import { CI_CONFIG_LIMITS as LIMITS } from '../limits';

/** The include types GitLab 18's `Mapper::Matcher` knows, in its order (its messages list them). */
export const INCLUDE_TYPES = ['local', 'project', 'remote', 'template', 'artifact', 'component'] as const;
export type IncludeType = (typeof INCLUDE_TYPES)[number];

const typeList = INCLUDE_TYPES.map((type) => `\`${type}\``).join(', ');

/**
 * Every message of `include:`, in GitLab 18's words (`lib/gitlab/ci/config/external/**`): `location` is the file as
 * written (leading slashes removed), `project` the project path as written (downcased, as GitLab does). GitLab shows
 * only one include error: the first.
 */
export const includeMessages = {
  // `Mapper::Matcher` (`location` is the include item as JSON).
  noValidSubkey: (location: string) => `\`${location}\` does not have a valid subkey for include. Valid subkeys are: ${typeList}`,
  ambiguous: () => `Each include must use only one of: ${typeList}`,
  // `Mapper::Verifier`.
  tooManyIncludes: (max: number) => `Maximum of ${max} nested includes are allowed!`,
  totalTooBig: () => 'Total size of combined CI/CD configuration is too big',
  timedOut: () => 'Request timed out when fetching configuration files.',
  // `File::Base`.
  notString: (location: string) => `Included file \`${location}\` needs to be a string`,
  notYaml: (location: string) => `Included file \`${location}\` does not have YAML extension!`,
  loadError: (location: string, error: string) => `\`${location}\`: ${error}`,
  /** GitLab ≤ 18.x; newer releases say `contains no configuration!`. */
  blankYaml: (location: string) => `Included file \`${location}\` does not have valid YAML syntax!`,
  // `File::Local`.
  localNoProject: (location: string) => `Local file \`${location}\` does not have project!`,
  localMissing: (location: string) => `Local file \`${location}\` does not exist!`,
  localEmpty: (location: string) => `Local file \`${location}\` is empty!`,
  // `File::Project`.
  projectNotFound: (project: string) =>
    `Project \`${project}\` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.`,
  refMissing: (project: string, ref: string) => `Project \`${project}\` reference \`${ref}\` does not exist!`,
  projectFileMissing: (project: string, location: string) => `Project \`${project}\` file \`${location}\` does not exist!`,
  projectFileEmpty: (project: string, location: string) => `Project \`${project}\` file \`${location}\` is empty!`,

  // Lanyard: the shape of an item (GitLab's `Entry::Include`), and what Lanyard does not build (refused, never ignored).
  itemShape: () => 'include config should be a hash or a string',
  unknownKeys: (keys: readonly string[]) => `include config contains unknown keys: ${keys.join(', ')}`,
  notSupported: (keyword: string, location: string) =>
    `include:${keyword} is not supported by Lanyard (\`${location}\`); use include:local or include:project`,
  inputsNotSupported: (location: string) => `include:inputs is not supported by Lanyard (\`${location}\`)`,
  rulesNotSupported: () => 'include:rules is not supported by Lanyard yet',
  totalNodes: () => `config is too large once includes are merged (max ${LIMITS.maxNodes} values)`,
};
