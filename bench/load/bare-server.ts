import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The JWKS reference: a bare Node `http` server answering the same bytes with the same headers as the application,
 * nothing else. Forked by the JWKS scenario; reports its port over IPC and exits when the bench disconnects.
 */
const [bodyFile, etag, cacheControl] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, ETag: etag, 'Cache-Control': cacheControl });
  response.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
process.on('disconnect', () => process.exit(0));
