import { serverNamesFromUrl } from './server-names';

describe(serverNamesFromUrl.name, () => {
  // GitLab spec/config/settings_spec.rb, `build_server_fqdn` (reference §1.4, test 37).
  it.each([
    ['http://acme.com:9090/gitlab', 'acme.com', 'acme.com:9090/gitlab'],
    ['http://acme.com:443/gitlab', 'acme.com', 'acme.com/gitlab'],
    ['https://acme.com:443', 'acme.com', 'acme.com'],
    ['http://test:9090', 'test', 'test:9090'],
    ['https://gitlab.example.com/', 'gitlab.example.com', 'gitlab.example.com'],
    ['http://localhost:8080', 'localhost', 'localhost:8080'],
    ['http://localhost', 'localhost', 'localhost'],
    ['https://git.example.com:80/root/', 'git.example.com', 'git.example.com/root'],
  ])('%s → host %s, fqdn %s', (url, host, fqdn) => {
    expect(serverNamesFromUrl(url)).toEqual({ host, fqdn });
  });
});
