import { AddressInfo, createServer } from 'node:net';

/** A port nothing listens on now (the kernel's pick), for a service or a cluster of the drill's own. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}
