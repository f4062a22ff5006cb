import { AddressInfo, createServer } from 'node:net';
import { TestApp, TestAppOptions, startTestApp } from './test-app';

/**
 * The application on a real port whose external URL (the OIDC issuer) is exactly where clients reach it, for tests
 * with outside clients: python-gitlab, jose's remote JWKS, PyJWT.
 */
export async function startListeningTestApp(
  env: NodeJS.ProcessEnv = {},
  options: TestAppOptions = {},
): Promise<TestApp & { readonly baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = await startTestApp({ ...env, LANYARD_EXTERNAL_URL: baseUrl }, options);
  await api.app.listen(port, '127.0.0.1');
  return Object.assign(api, { baseUrl });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
