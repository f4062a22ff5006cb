/**
 * The job log's second line of defence: the runner masks a job's secrets before it sends its log, and the server masks
 * them again before storing, so a runner that did not (an old or a hostile one) still leaves none in clear.
 *
 * Logs are bytes and the runner counts its offsets in bytes, so these functions take and give "byte strings": one
 * character per byte (what `Buffer#toString('latin1')` makes). Secrets are given as written (UTF-8 text).
 */

/** What replaces a secret, as the runner writes it. */
export const LOG_MASK = '[MASKED]';

/** A JWT as printed: three base64url parts, the first two JSON objects (`eyJ` is `{"` encoded). */
const JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const JWT_CHARACTER = /[A-Za-z0-9_.-]/;
/** Longer runs are not ID tokens this server minted; holding back more than this would stall the log. */
export const MAX_HELD_JWT_BYTES = 16 * 1024;

/** The secrets of one job. */
export interface JobLogSecrets {
  /** Values replaced wherever they occur: the job's masked variables and its job token. */
  readonly phrases: readonly string[];
  /** The `jti` of each ID token minted for the job: a JWT carrying one of them is replaced whole. */
  readonly idTokenJtis: readonly string[];
}

/** The result of masking one append: what may be stored now, and what must wait for the next append. */
export interface MaskedAppend {
  /** Masked bytes, final: no secret can span its end. */
  readonly emit: string;
  /** Unmasked bytes that may be the start of a secret; empty once the log is final. Never to be stored in clear. */
  readonly held: string;
}

/** The runner's phrase list: trimmed, without empties or repeats, longest first (so a longer secret wins). */
export function maskPhrases(secrets: JobLogSecrets): string[] {
  const bytes = secrets.phrases.map((phrase) => utf8Bytes(phrase.trim())).filter((phrase) => phrase.length > 0);
  return [...new Set(bytes)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/**
 * Masks `held + data` (the bytes held back by the previous append, then this one's). Unless `final`, it holds back
 * the tail in which a secret may still be starting: the longest end that begins a phrase, and a JWT in progress, moved
 * back to the start of any masked stretch they cut. Whatever the chunking, the emitted pieces joined are
 * `maskLog(whole log)`.
 */
export function maskAppend(held: string, data: string, secrets: JobLogSecrets, final: boolean): MaskedAppend {
  const text = held + data;
  const phrases = maskPhrases(secrets);
  const stretches = maskedStretches(text, phrases, new Set(secrets.idTokenJtis));
  if (final) return { emit: render(text, stretches, text.length), held: '' };
  let cut = phraseInProgress(text, phrases);
  if (secrets.idTokenJtis.length > 0) cut = Math.min(cut, jwtInProgress(text));
  for (const stretch of stretches) {
    // A JWT that reaches the end may go on; a stretch across the cut is decided again with the rest.
    if ((stretch.start < cut && stretch.end > cut) || (stretch.jwt && stretch.end === text.length)) cut = Math.min(cut, stretch.start);
  }
  return { emit: render(text, stretches, cut), held: text.slice(cut) };
}

/** The whole log masked at once: every secret replaced by `[MASKED]`. */
export function maskLog(text: string, secrets: JobLogSecrets): string {
  return maskAppend('', text, secrets, true).emit;
}

interface Stretch {
  readonly start: number;
  readonly end: number;
  readonly jwt: boolean;
}

/** Where the secrets are: the job's JWTs first, then each phrase, longest first, in what is still unmasked. */
function maskedStretches(text: string, phrases: readonly string[], jtis: ReadonlySet<string>): Stretch[] {
  let stretches: Stretch[] = [];
  if (jtis.size > 0) {
    for (const match of text.matchAll(JWT)) {
      if (carriesJti(match[0], jtis)) stretches.push({ start: match.index, end: match.index + match[0].length, jwt: true });
    }
  }
  for (const phrase of phrases) {
    const found: Stretch[] = [];
    let from = 0;
    for (const gap of [...stretches, { start: text.length, end: text.length, jwt: false }]) {
      let at = text.indexOf(phrase, from);
      while (at >= 0 && at + phrase.length <= gap.start) {
        found.push({ start: at, end: at + phrase.length, jwt: false });
        at = text.indexOf(phrase, at + phrase.length);
      }
      from = gap.end;
    }
    stretches = [...stretches, ...found].sort((a, b) => a.start - b.start);
  }
  return stretches;
}

function render(text: string, stretches: readonly Stretch[], upTo: number): string {
  let out = '';
  let at = 0;
  for (const stretch of stretches) {
    if (stretch.end > upTo) break;
    out += text.slice(at, stretch.start) + LOG_MASK;
    at = stretch.end;
  }
  return out + text.slice(at, upTo);
}

function carriesJti(jwt: string, jtis: ReadonlySet<string>): boolean {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(payload));
    return typeof claims === 'object' && claims !== null && jtis.has(String((claims as { jti?: unknown }).jti));
  } catch {
    return false; // not base64 or not JSON: not a token this server minted
  }
}

/** Where the longest end of `text` that begins a phrase (and may go on to complete it) starts; the end if none does. */
function phraseInProgress(text: string, phrases: readonly string[]): number {
  for (let at = Math.max(0, text.length - (phrases[0]?.length ?? 0) + 1); at < text.length; at++) {
    const length = text.length - at;
    // The first byte is compared before anything is sliced: most positions start no phrase.
    const begins = (phrase: string) =>
      phrase.length > length && phrase.charCodeAt(0) === text.charCodeAt(at) && text.startsWith(phrase.slice(0, length), at);
    if (phrases.some(begins)) return at;
  }
  return text.length;
}

/** Where a JWT the next append may complete starts: `eyJ` in the trailing run of JWT characters, or `ey`/`e` at the end. */
function jwtInProgress(text: string): number {
  let runStart = text.length;
  while (runStart > 0 && text.length - runStart < MAX_HELD_JWT_BYTES && JWT_CHARACTER.test(text[runStart - 1])) runStart--;
  const run = text.slice(runStart);
  const at = run.indexOf('eyJ');
  if (at >= 0) return runStart + at;
  if (run.endsWith('ey')) return text.length - 2;
  return run.endsWith('e') ? text.length - 1 : text.length;
}

function utf8Bytes(text: string): string {
  let bytes = '';
  for (const byte of new TextEncoder().encode(text)) bytes += String.fromCharCode(byte);
  return bytes;
}
