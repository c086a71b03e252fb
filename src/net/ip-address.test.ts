import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, formatIp, parseCidr, parseIp, parseLegacyIpv4 } from './ip-address.js';

const text = (value: string) => {
  const ip = parseIp(value);
  return ip && formatIp(ip);
};

void describe('parseIp / formatIp', () => {
  void it('round-trips IPv4 and canonicalises IPv6 (RFC 5952)', () => {
    const cases: [string, string | undefined][] = [
      ['127.0.0.1', '127.0.0.1'],
      ['255.255.255.255', '255.255.255.255'],
      ['::', '::'],
      ['::1', '::1'],
      ['[::1]', '::1'],
      ['0:0:0:0:0:ffff:7f00:1', '::ffff:7f00:1'],
      ['::ffff:127.0.0.1', '::ffff:7f00:1'],
      ['::127.0.0.1', '::7f00:1'],
      ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['fe80::1%eth0', 'fe80::1'],
      ['1::', '1::'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
      // Not strict literals: host names, legacy IPv4, malformed.
      ['0177.0.0.1', undefined],
      ['127.1', undefined],
      ['2130706433', undefined],
      ['example.com', undefined],
      ['1:2:3:4:5:6:7:8:9', undefined],
      ['1::2::3', undefined],
      ['fe80::1%', undefined],
      ['', undefined],
    ];
    for (const [input, expected] of cases) assert.equal(text(input), expected, input);
  });

  void it('keeps the zone id apart from the address', () => {
    assert.equal(parseIp('fe80::1%eth0')?.zone, 'eth0');
    assert.equal(parseIp('fe80::1')?.zone, undefined);
  });
});

void describe('parseLegacyIpv4', () => {
  void it('reads the inet_aton notations a resolver accepts', () => {
    const cases: [string, string | undefined][] = [
      ['127.0.0.1', '127.0.0.1'],
      ['2130706433', '127.0.0.1'],
      ['0x7f000001', '127.0.0.1'],
      ['0x7F.1', '127.0.0.1'],
      ['0177.0.0.1', '127.0.0.1'],
      ['0177.1', '127.0.0.1'],
      ['127.1', '127.0.0.1'],
      ['127.0.1', '127.0.0.1'],
      ['10.258', '10.0.1.2'],
      ['0', '0.0.0.0'],
      ['0x', '0.0.0.0'],
      ['169.254.43518', '169.254.169.254'],
      ['127.0.0.1.', '127.0.0.1'],
      ['4294967295', '255.255.255.255'],
      ['4294967296', undefined],
      ['256.0.0.1', undefined],
      ['1.2.3.4.5', undefined],
      ['09.0.0.1', undefined],
      ['1.2.3.z', undefined],
      ['99999999999999999999999', undefined],
      ['example.com', undefined],
      ['', undefined],
    ];
    for (const [input, expected] of cases) {
      const bytes = parseLegacyIpv4(input);
      assert.equal(bytes && formatIp({ family: 4, bytes }), expected, input);
    }
  });
});

void describe('WHATWG URL hosts', () => {
  // safeFetch relies on `new URL()` turning legacy IPv4 hosts into dotted quads before any check.
  void it('normalises the legacy IPv4 notations to the same address parseLegacyIpv4 reads', () => {
    for (const host of ['2130706433', '0x7f000001', '0x7f.1', '0177.0.0.1', '127.1', '0', '169.254.43518']) {
      const normalised = new URL(`http://${host}/`).hostname;
      const bytes = parseLegacyIpv4(host)!;
      assert.equal(normalised, formatIp({ family: 4, bytes }), host);
      assert.ok(parseIp(normalised), host);
    }
  });

  void it('rejects zone ids and invalid dotted quads, and brackets IPv6', () => {
    assert.throws(() => new URL('http://[fe80::1%25eth0]/'), TypeError);
    assert.throws(() => new URL('http://1.2.3.4.5/'), TypeError);
    assert.equal(new URL('http://[::ffff:127.0.0.1]/').hostname, '[::ffff:7f00:1]');
  });
});

void describe('parseCidr / cidrContains', () => {
  void it('matches addresses inside the prefix only, per family', () => {
    const net10 = parseCidr('10.0.0.0/8')!;
    assert.equal(cidrContains(net10, parseIp('10.255.1.2')!), true);
    assert.equal(cidrContains(net10, parseIp('11.0.0.0')!), false);
    assert.equal(cidrContains(net10, parseIp('::ffff:a00:1')!), false);
    const odd = parseCidr('172.16.0.0/12')!;
    assert.equal(cidrContains(odd, parseIp('172.31.255.255')!), true);
    assert.equal(cidrContains(odd, parseIp('172.32.0.0')!), false);
    const v6 = parseCidr('fd12:3456::/32')!;
    assert.equal(cidrContains(v6, parseIp('fd12:3456:ffff::1')!), true);
    assert.equal(cidrContains(v6, parseIp('fd12:3457::1')!), false);
    assert.equal(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!), true);
  });

  void it('masks host bits and treats a bare address as a full-length prefix', () => {
    assert.deepEqual(parseCidr('10.1.2.3/8'), {
      family: 4,
      bytes: Uint8Array.from([10, 0, 0, 0]),
      prefix: 8,
    });
    assert.equal(parseCidr('10.1.2.3')?.prefix, 32);
    assert.equal(parseCidr('::1')?.prefix, 128);
  });

  void it('rejects malformed prefixes', () => {
    for (const bad of [
      '10.0.0.0/33',
      '::/129',
      '10.0.0.0/',
      '10.0.0.0/08',
      '10.0.0.0/-1',
      'host/8',
      'fe80::%eth0/64',
    ]) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
  });
});
