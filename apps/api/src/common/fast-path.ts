import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

/** A request listener that answers what it serves and hands the rest on (`next`). */
export type FastPath = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** Makes `fastPath` the server's only request listener, handing what it does not answer to the previous ones (Express). */
export function putInFront(server: Server, fastPath: FastPath): void {
  const behind = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) =>
    fastPath(request, response, () => {
      for (const listener of behind) listener(request, response);
    }),
  );
}
