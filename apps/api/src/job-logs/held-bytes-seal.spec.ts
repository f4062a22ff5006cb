import { openHeldBytes, sealHeldBytes } from './held-bytes-seal';

describe(sealHeldBytes.name, () => {
  it('seals bytes so that only the same job token opens them', () => {
    const sealed = sealHeldBytes(Buffer.from('s3cr3t-va'), 'glcbt-one');
    expect(sealed.includes(Buffer.from('s3cr3t'))).toBe(false);
    expect(openHeldBytes(sealed, 'glcbt-one')?.toString()).toBe('s3cr3t-va');
    expect(openHeldBytes(sealed, 'glcbt-two')).toBeNull();
  });
});
