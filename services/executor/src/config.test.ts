import { loadExecutorConfig } from './config';

describe('loadExecutorConfig', () => {
  it('blocks internal networks by default and reads the operator lists', () => {
    expect(loadExecutorConfig({}).http.network?.refusal('169.254.169.254')).toMatch(/blocked/);
    const config = loadExecutorConfig({
      HTTP_CALL_BLOCKED_NETWORKS: '127.0.0.0/8, 10.0.0.0/8',
      HTTP_CALL_ALLOWED_NETWORKS: '10.1.0.0/16',
    });
    expect(config.http.network?.refusal('127.0.0.1')).toMatch(/blocked/);
    expect(config.http.network?.refusal('10.1.2.3')).toBeUndefined();
    // The list replaces the default one.
    expect(config.http.network?.refusal('192.168.0.1')).toBeUndefined();
  });

  it.each(['HTTP_CALL_BLOCKED_NETWORKS', 'HTTP_CALL_ALLOWED_NETWORKS'])(
    'names %s when it is not a CIDR list',
    (name) => {
      expect(() => loadExecutorConfig({ [name]: '10.0.0.0/8,intranet' })).toThrow(new RegExp(name));
    },
  );
});
