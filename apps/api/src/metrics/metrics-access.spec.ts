import { metricsAccess } from './metrics-access';

const TOKEN = 'metrics-token-0123456789abcdef';

describe(metricsAccess.name, () => {
  it.each([
    ['disabled when no token is configured, whatever is presented', undefined, `Bearer ${TOKEN}`, 'disabled'],
    ['allowed with the configured bearer token', TOKEN, `Bearer ${TOKEN}`, 'allowed'],
    ['allowed with the scheme in any case', TOKEN, `bearer ${TOKEN}`, 'allowed'],
    ['refused without an Authorization header', TOKEN, undefined, 'refused'],
    ['refused with another token', TOKEN, 'Bearer metrics-token-0123456789abcdeX', 'refused'],
    ['refused with a prefix of the token', TOKEN, `Bearer ${TOKEN.slice(0, 10)}`, 'refused'],
    ['refused with the token under another scheme', TOKEN, `Basic ${TOKEN}`, 'refused'],
    ['refused with the bare token', TOKEN, TOKEN, 'refused'],
  ])('is %s', (_case, expected, header, access) => {
    expect(metricsAccess(expected, header)).toBe(access);
  });
});
