/** Largest file accepted, in bytes after decoding; the raw string is capped earlier, before decoding. */
export const MAX_FILE_SIZE = 1024 * 1024;
