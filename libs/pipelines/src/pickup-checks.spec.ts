import { PickupFacts, pickupFailure } from './pickup-checks';

const runnable: PickupFacts = { hasSecrets: false, variables: new Map() };
const vault = new Map([['VAULT_SERVER_URL', 'https://vault.example.com']]);

describe(pickupFailure.name, () => {
  it.each<[string, Partial<PickupFacts>, string | null]>([
    ['a job with nothing in the way', {}, null],
    ['secrets with VAULT_SERVER_URL', { hasSecrets: true, variables: vault }, null],
    ['secrets without VAULT_SERVER_URL', { hasSecrets: true }, 'secrets_provider_not_found'],
    ['secrets with an empty VAULT_SERVER_URL', { hasSecrets: true, variables: new Map([['VAULT_SERVER_URL', '']]) }, 'secrets_provider_not_found'],
  ])('decides %s', (_title, facts, expected) => {
    expect(pickupFailure({ ...runnable, ...facts })).toBe(expected);
  });
});
