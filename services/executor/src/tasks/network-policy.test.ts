import { InvalidNetworkError, NetworkPolicy } from './network-policy';

describe('NetworkPolicy', () => {
  const policy = new NetworkPolicy();

  it.each([
    '169.254.169.254',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.10',
    '100.64.0.1',
    '0.0.0.0',
    '::ffff:169.254.169.254',
    'fd00:ec2::254',
    'fe80::1',
    '::',
  ])('blocks %s by default', (address) => {
    expect(policy.refusal(address)).toMatch(/blocked network/);
  });

  it.each(['127.0.0.1', '::1', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1', '192.169.0.1'])(
    'lets %s through by default',
    (address) => {
      expect(policy.refusal(address)).toBeUndefined();
    },
  );

  it('lets an operator open a range inside a blocked one, and close loopback', () => {
    const custom = new NetworkPolicy(['10.0.0.0/8', '127.0.0.0/8', '::1/128'], ['10.20.0.0/16']);
    expect(custom.refusal('10.20.3.4')).toBeUndefined();
    expect(custom.refusal('10.21.3.4')).toMatch(/blocked/);
    expect(custom.refusal('127.0.0.1')).toMatch(/blocked/);
    expect(custom.refusal('::1')).toMatch(/blocked/);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', 'not-an-ip/8', '::/129', '10.0.0.0/x'])('refuses the network %s', (cidr) => {
    expect(() => new NetworkPolicy([cidr])).toThrow(InvalidNetworkError);
  });
});
