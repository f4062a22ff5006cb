/** Every limit the parser enforces; error messages name them, so nothing is silently truncated. */
export const CI_CONFIG_LIMITS = {
  /** Source size in UTF-8 bytes (GitLab: `Gitlab::Config::Loader::Yaml::MAX_YAML_SIZE`, 1 megabyte). */
  maxConfigBytes: 1024 * 1024,
  /** Nesting of collections, checked before the YAML composer recurses. */
  maxNestingDepth: 50,
  /** YAML anchors plus aliases in one file (the YAML library resolves each alias by a scan of all of them). */
  maxAnchorsAndAliases: 1000,
  /** The YAML library's `maxAliasCount`: dereferences per anchor, weighted by the aliases inside it. */
  maxAliasCount: 100,
  /** Values in the loaded and `extends`-expanded configuration, shared subtrees counted each time they appear. */
  maxNodes: 250_000,
  /** `!reference` chains (a reference whose target holds references, …); GitLab has no limit but Ruby's stack. */
  maxReferenceNesting: 50,
  /** GitLab: `Extendable::Entry::MAX_NESTING_LEVELS`. */
  maxExtendsNesting: 10,
  /** GitLab: `Commands::MAX_NESTING_LEVEL` for `script`, `Stages::MAX_NESTING_LEVEL` for `stages`. */
  maxScriptNesting: 10,
  /** GitLab: `Processable` job name length. */
  maxJobNameLength: 255,
  /** The `ci_builds.stage` column. */
  maxStageNameLength: 255,
  /** GitLab: the `Environment` model's name length. */
  maxEnvironmentNameLength: 255,
  /** GitLab: `ChronicDuration.parse(ChronicDuration.output(1.month))`; a job timeout must be below it. */
  timeoutLimitSeconds: 2_629_746,
  /** GitLab: `start_in` of a delayed job is at most one week. */
  maxStartInSeconds: 7 * 24 * 3600,
  /** GitLab: `Parallel::PARALLEL_LIMIT`, for `parallel: N` and a matrix's combinations. */
  maxParallel: 200,
  /** GitLab: the plan limit `ci_needs_size_limit` (default 50), counted after `parallel:` expansion. */
  maxNeeds: 50,
  maxIdTokensPerJob: 20,
  maxAudLength: 1024,
  maxAudEntries: 10,
  maxClaimsPerJob: 50,
  maxClaimValueLength: 1024,
  maxClaimValueEntries: 50,
  maxClaimUriLength: 256,
  /** GitLab: the application setting `ci_max_includes` (default 150), every included file counted, duplicates too. */
  maxIncludes: 150,
  /**
   * Lanyard's `ci_max_total_yaml_size_bytes`: the included files' bytes together (each is also held to
   * `maxConfigBytes`). Lower than GitLab's default, so that 150 files cannot hold 150 MB in one request.
   */
  maxTotalIncludeBytes: 8 * 1024 * 1024,
} as const;
