import { ReceiveCommandReader } from './receive-commands';

const pkt = (line: string) => `${(Buffer.byteLength(line) + 4).toString(16).padStart(4, '0')}${line}`;
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

function read(...chunks: (string | Buffer)[]) {
  const reader = new ReceiveCommandReader();
  for (const chunk of chunks) reader.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return reader;
}

describe('ReceiveCommandReader', () => {
  it('reads every command up to the flush, capabilities after the first NUL dropped, the pack left alone', () => {
    const body = pkt(`${A} ${B} refs/heads/main\0 report-status side-band-64k\n`) + pkt(`${ZERO} ${B} refs/tags/v1\n`) + '0000PACK…';
    const reader = read(body);
    expect(reader.done).toBe(true);
    expect(reader.commands).toEqual([
      { oldSha: A, newSha: B, refName: 'refs/heads/main' },
      { oldSha: ZERO, newSha: B, refName: 'refs/tags/v1' },
    ]);
  });

  it('reads a list split anywhere between chunks, byte by byte', () => {
    const body = Buffer.from(pkt(`${A} ${B} refs/heads/main\0 report-status\n`) + pkt(`${B} ${ZERO} refs/heads/old\n`) + '0000');
    const reader = read(...[...body].map((byte) => Buffer.from([byte])));
    expect(reader.done).toBe(true);
    expect(reader.commands.map((command) => command.refName)).toEqual(['refs/heads/main', 'refs/heads/old']);
  });

  it('is not done before the flush', () => {
    const reader = read(pkt(`${A} ${B} refs/heads/main\0 report-status\n`) + '00');
    expect(reader.done).toBe(false);
    expect(reader.commands).toHaveLength(1);
  });

  it('skips shallow lines and reads commands inside a push certificate', () => {
    const cert = [
      pkt(`shallow ${A}\n`),
      pkt('push-cert\0 report-status\n'),
      pkt('certificate version 0.1\n'),
      pkt('pusher someone 0 +0000\n'),
      pkt('\n'),
      pkt(`${A} ${B} refs/heads/main\n`),
      pkt('-----BEGIN PGP SIGNATURE-----\n'),
      pkt('push-cert-end\n'),
      '0000',
    ];
    expect(read(cert.join('')).commands).toEqual([{ oldSha: A, newSha: B, refName: 'refs/heads/main' }]);
  });

  it('ends at a malformed length, keeping what it read', () => {
    const reader = read(pkt(`${A} ${B} refs/heads/main\n`) + 'zzzz' + pkt(`${A} ${B} refs/heads/other\n`));
    expect(reader.done).toBe(true);
    expect(reader.commands.map((command) => command.refName)).toEqual(['refs/heads/main']);
  });

  it('reads sha256 ids', () => {
    const [old, next] = ['c'.repeat(64), 'd'.repeat(64)];
    expect(read(pkt(`${old} ${next} refs/heads/main\0 object-format=sha256\n`) + '0000').commands).toEqual([
      { oldSha: old, newSha: next, refName: 'refs/heads/main' },
    ]);
  });
});
