import type { ServerNames } from './types';

/**
 * GitLab's `Settings.gitlab.host` and `Settings.build_server_fqdn` from the server's external URL: the host alone,
 * and host plus `:port` (unless 80 or 443, whatever the scheme) plus the relative root, without a scheme.
 */
export function serverNamesFromUrl(externalUrl: string): ServerNames {
  const url = new URL(externalUrl);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const relativeRoot = url.pathname.replace(/\/+$/, '');
  return {
    host: url.hostname,
    fqdn: `${url.hostname}${port === 80 || port === 443 ? '' : `:${port}`}${relativeRoot}`,
  };
}
