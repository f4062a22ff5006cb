import type { Server } from 'node:http';
import type { LoggerService } from '@nestjs/common';

/** Under Kubernetes' default 30 s grace period, so the database is closed before a SIGKILL. */
export const SHUTDOWN_DEADLINE_MS = 25_000;

const IDLE_SWEEP_MS = 100;

export interface ShutdownSteps {
  /** The listening HTTP server: it stops accepting and its requests in flight finish. */
  readonly server: Server;
  /** After the last request: the application (its hooks, TypeORM's pool), then the database. */
  readonly close: () => Promise<void>;
  readonly logger: LoggerService;
  readonly deadlineMs?: number;
  readonly exit?: (code: number) => void;
}

/**
 * SIGTERM and SIGINT stop the service once: no new connection, requests in flight answered, then `close`. A second
 * signal changes nothing (a Ctrl-C under `npm start` reaches the process twice, from the terminal and from npm), so
 * the embedded database is never left half-closed. Past the deadline open connections are cut and closing goes on.
 */
export function stopOnSignals(steps: ShutdownSteps): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void shutDown(steps, signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

export async function shutDown(steps: ShutdownSteps, signal: string): Promise<void> {
  const { server, logger, deadlineMs = SHUTDOWN_DEADLINE_MS, exit = (code) => process.exit(code) } = steps;
  logger.log({ msg: 'shutting down: no new requests, finishing those in flight', signal }, 'Shutdown');
  const deadline = setTimeout(() => {
    logger.warn({ msg: 'requests still in flight at the shutdown deadline: closing their connections', deadlineMs }, 'Shutdown');
    server.closeAllConnections();
  }, deadlineMs);
  try {
    await drain(server);
    await steps.close();
    logger.log({ msg: 'stopped cleanly' }, 'Shutdown');
    exit(0);
  } catch (error) {
    logger.error({ msg: 'shutdown failed', error: error instanceof Error ? error.message : String(error) }, undefined, 'Shutdown');
    exit(1);
  } finally {
    clearTimeout(deadline);
  }
}

/** Stops accepting; keep-alive connections are closed as soon as they are idle and told not to send more. */
function drain(server: Server): Promise<void> {
  server.prependListener('request', (_request, response) => response.setHeader('Connection', 'close'));
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
