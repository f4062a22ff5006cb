/** GitLab's bounds for a project's job timeout: 10 minutes to 1 month, in seconds. */
export const BUILD_TIMEOUT_MIN = 600;
export const BUILD_TIMEOUT_MAX = 2_592_000;
export const BUILD_TIMEOUT_DEFAULT = 3600;
