import { describe, expect, it } from '@jest/globals';
import { networkLabel } from '../../../lambdas/domain/network-label.ts';

describe('the network a session was opened from, as the member reads it', () => {
  it('public addresses give their network, never the whole address', () => {
    expect(networkLabel('203.0.113.45')).toEqual({ kind: 'internet', network: '203.0.113.x' });
    expect(networkLabel('::ffff:198.51.100.7')).toEqual({ kind: 'internet', network: '198.51.100.x' });
    expect(networkLabel('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toEqual({
      kind: 'internet',
      network: '2001:db8:85a3:8d3::/64',
    });
    expect(networkLabel('2a01:cb00::1')).toEqual({ kind: 'internet', network: '2a01:cb00::/64' });
  });

  it('loopback is this computer, private ranges are a local network', () => {
    expect(networkLabel('::1')).toEqual({ kind: 'this-computer' });
    expect(networkLabel('127.0.0.1')).toEqual({ kind: 'this-computer' });
    for (const local of ['10.1.2.3', '172.20.0.1', '192.168.1.20', 'fe80::1', 'fd12:3456::1']) {
      expect(networkLabel(local)).toEqual({ kind: 'local' });
    }
    expect(networkLabel('172.32.0.1').kind).toBe('internet');
  });

  it('anything else is unknown, not an error', () => {
    for (const odd of [undefined, '', 'unknown', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::1', '<script>']) {
      expect(networkLabel(odd)).toEqual({ kind: 'unknown' });
    }
  });
});
