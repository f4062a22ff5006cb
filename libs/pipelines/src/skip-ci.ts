/** GitLab's `Chain::Skip::SKIP_PATTERN`: `[ci skip]`, `[skip ci]`, with a space, `_` or `-`, in any case. */
const SKIP_PATTERN = /\[(ci[ _-]skip|skip[ _-]ci)\]/i;

/** Whether a pushed commit's message asks for no pipeline; a push without a commit message (a new ref) never does. */
export function commitMessageSkipsCi(message: string | null): boolean {
  return message !== null && SKIP_PATTERN.test(message);
}
