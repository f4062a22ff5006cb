/** One ref update a `git-receive-pack` request asks for: `<old> <new> <ref>` (an all-zero id: no such ref). */
export interface ReceiveCommand {
  readonly oldSha: string;
  readonly newSha: string;
  readonly refName: string;
}

const COMMAND = /^([0-9a-f]{40}|[0-9a-f]{64}) ([0-9a-f]{40}|[0-9a-f]{64}) (\S+)$/;

/**
 * Reads the command list at the head of a receive-pack request body, as the bytes stream past: pkt-lines
 * (`<4 hex length><payload>`) up to the first flush-pkt `0000`, the first line's capabilities after a NUL. Commands
 * inside a push certificate (`push-cert` … `push-cert-end`) are lines of the same form and count alike; `shallow`
 * lines and certificate headers do not match and are skipped. A malformed length ends the list (git refuses such a
 * request before any ref moves). Only the unread remainder of one pkt-line is kept, so the pack that follows the list
 * is never buffered.
 */
export class ReceiveCommandReader {
  private pending: Buffer = Buffer.alloc(0);
  private finished = false;
  private readonly found: ReceiveCommand[] = [];

  get done(): boolean {
    return this.finished;
  }

  get commands(): readonly ReceiveCommand[] {
    return this.found;
  }

  push(chunk: Buffer): void {
    if (this.finished) return;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    while (!this.finished && this.pending.length - offset >= 4) {
      const header = this.pending.toString('latin1', offset, offset + 4);
      const length = /^[0-9a-f]{4}$/i.test(header) ? parseInt(header, 16) : -1;
      if (length === 0 || (length > 0 && length < 4) || length < 0) {
        this.finished = true;
        break;
      }
      if (this.pending.length - offset < length) break;
      this.line(this.pending.toString('utf8', offset + 4, offset + length));
      offset += length;
    }
    this.pending = this.finished ? Buffer.alloc(0) : this.pending.subarray(offset);
  }

  private line(payload: string): void {
    const nul = payload.indexOf('\0');
    const text = (nul === -1 ? payload : payload.slice(0, nul)).replace(/\n$/, '');
    const match = COMMAND.exec(text);
    if (match) this.found.push({ oldSha: match[1], newSha: match[2], refName: match[3] });
  }
}
