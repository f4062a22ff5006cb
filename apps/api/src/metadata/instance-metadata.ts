/**
 * The GitLab release whose REST API Lanyard answers as (DESIGN.md targets released GitLab 18.x). Clients such as the
 * Terraform provider gate features on this number, so it names the API they are talking to, not Lanyard's release.
 */
export const GITLAB_API_VERSION = '18.0.0';

/** Lanyard's own release, as package.json states it (a spec keeps the two equal). */
export const LANYARD_VERSION = '0.1.0';

/**
 * GitLab's `Entities::Metadata`, which `GET /metadata` and the deprecated `GET /version` both answer. `revision` is
 * GitLab's build commit; here it names the Lanyard release, so an operator can tell what serves the API. There is no
 * agent server for Kubernetes (KAS), and no enterprise edition.
 */
export const INSTANCE_METADATA = Object.freeze({
  version: GITLAB_API_VERSION,
  revision: `lanyard-${LANYARD_VERSION}`,
  kas: Object.freeze({ enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null }),
  enterprise: false,
});
