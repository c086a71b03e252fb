import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../domain/errors.js';
import {
  classifyAddress,
  createAddressPolicy,
  isLocalhostName,
  normalizeHostname,
  validateAllowedPrivateHosts,
  type AddressCategory,
} from './address-policy.js';

void describe('classifyAddress', () => {
  void it('classifies IPv4 ranges', () => {
    const cases: [string, AddressCategory][] = [
      ['8.8.8.8', 'public'],
      ['1.1.1.1', 'public'],
      ['93.184.215.14', 'public'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['10.0.0.5', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.1', 'public'],
      ['172.15.255.255', 'public'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'sharedAddressSpace'],
      ['100.127.255.255', 'sharedAddressSpace'],
      ['100.128.0.0', 'public'],
      ['169.254.1.1', 'linkLocal'],
      ['169.254.169.254', 'metadata'],
      ['169.254.170.2', 'metadata'],
      ['100.100.100.200', 'metadata'],
      ['192.0.0.192', 'metadata'],
      ['168.63.129.16', 'metadata'],
      ['192.0.0.8', 'reserved'],
      ['192.0.2.1', 'documentation'],
      ['198.51.100.7', 'documentation'],
      ['203.0.113.9', 'documentation'],
      ['198.18.0.1', 'benchmarking'],
      ['198.19.255.255', 'benchmarking'],
      ['198.20.0.0', 'public'],
      ['192.88.99.1', 'reserved'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['240.0.0.1', 'reserved'],
      ['255.255.255.255', 'broadcast'],
    ];
    for (const [address, category] of cases)
      assert.equal(classifyAddress(address)?.category, category, address);
  });

  void it('classifies IPv6 ranges', () => {
    const cases: [string, AddressCategory][] = [
      ['2606:4700:4700::1111', 'public'],
      ['2a00:1450:4001::200e', 'public'],
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['fe80::1', 'linkLocal'],
      ['fe80::1%eth0', 'linkLocal'],
      ['febf::1', 'linkLocal'],
      ['fec0::1', 'siteLocal'],
      ['fc00::1', 'uniqueLocal'],
      ['fd12:3456::1', 'uniqueLocal'],
      ['fd00:ec2::254', 'metadata'],
      ['ff02::1', 'multicast'],
      ['ff05::1:3', 'multicast'],
      ['2001:db8::1', 'documentation'],
      ['3fff::1', 'documentation'],
      ['2001:2::1', 'benchmarking'],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
      ['2001:10::1', 'reserved'],
      ['100::1', 'reserved'],
      ['5f00::1', 'reserved'],
      ['4000::1', 'reserved'],
      ['a::1', 'reserved'],
      ['1::1', 'reserved'],
    ];
    for (const [address, category] of cases)
      assert.equal(classifyAddress(address)?.category, category, address);
  });

  void it('classifies IPv6 addresses that carry an IPv4 address by that address', () => {
    const cases: [string, AddressCategory, string | undefined][] = [
      // IPv4-mapped, in every spelling
      ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
      ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
      ['0:0:0:0:0:ffff:7f00:1', 'loopback', '127.0.0.1'],
      ['[::ffff:7f00:1]', 'loopback', '127.0.0.1'],
      ['::ffff:a9fe:a9fe', 'metadata', '169.254.169.254'],
      ['::ffff:10.0.0.1', 'private', '10.0.0.1'],
      ['::ffff:0.0.0.0', 'unspecified', '0.0.0.0'],
      ['::ffff:8.8.8.8', 'public', '8.8.8.8'],
      // SIIT IPv4-translated
      ['::ffff:0:7f00:1', 'loopback', '127.0.0.1'],
      // IPv4-compatible (deprecated): never public, reason from the embedded address
      ['::127.0.0.1', 'loopback', '127.0.0.1'],
      ['::7f00:1', 'loopback', '127.0.0.1'],
      ['::a00:1', 'private', '10.0.0.1'],
      ['::8.8.8.8', 'reserved', undefined],
      // NAT64 well-known prefix: the translator connects to the embedded address
      ['64:ff9b::7f00:1', 'loopback', '127.0.0.1'],
      ['64:ff9b::169.254.169.254', 'metadata', '169.254.169.254'],
      ['64:ff9b::a00:5', 'private', '10.0.0.5'],
      ['64:ff9b::808:808', 'public', '8.8.8.8'],
      // NAT64 local-use prefix: local-only, never public
      ['64:ff9b:1::a00:5', 'private', '10.0.0.5'],
      ['64:ff9b:1::7f00:1', 'loopback', '127.0.0.1'],
      ['64:ff9b:1::808:808', 'private', undefined],
      // 6to4: the /48 after 2002: is the site's IPv4 address
      ['2002:7f00:1::1', 'loopback', '127.0.0.1'],
      ['2002:a9fe:a9fe::', 'metadata', '169.254.169.254'],
      ['2002:c0a8:101::1', 'private', '192.168.1.1'],
      ['2002:808:808::1', 'public', undefined],
    ];
    for (const [address, category, embedded] of cases) {
      const result = classifyAddress(address);
      assert.equal(result?.category, category, address);
      assert.equal(result?.embeddedIpv4, embedded, address);
      assert.equal(result?.family, 6, address);
    }
  });

  void it('reads the legacy IPv4 notations a resolver would accept', () => {
    const cases: [string, string, AddressCategory][] = [
      ['2130706433', '127.0.0.1', 'loopback'],
      ['0x7f000001', '127.0.0.1', 'loopback'],
      ['0x7f.1', '127.0.0.1', 'loopback'],
      ['0177.0.0.1', '127.0.0.1', 'loopback'],
      ['127.1', '127.0.0.1', 'loopback'],
      ['0', '0.0.0.0', 'unspecified'],
      ['169.254.43518', '169.254.169.254', 'metadata'],
      ['0xa9fea9fe', '169.254.169.254', 'metadata'],
      ['012.0.0.1', '10.0.0.1', 'private'],
      ['134744072', '8.8.8.8', 'public'],
    ];
    for (const [input, address, category] of cases) {
      const result = classifyAddress(input);
      assert.deepEqual(result, { address, family: 4, category, embeddedIpv4: undefined }, input);
    }
  });

  void it('returns undefined for host names, which must be resolved first', () => {
    for (const host of ['example.com', 'localhost', '127.0.0.1.nip.io', '1.2.3.4.5', '0x7g.1', '']) {
      assert.equal(classifyAddress(host), undefined, host);
    }
  });

  void it('gives the canonical address text', () => {
    assert.equal(classifyAddress('0:0:0:0:0:FFFF:7F00:0001')?.address, '::ffff:7f00:1');
    assert.equal(classifyAddress('fe80::1%eth0')?.address, 'fe80::1');
  });
});

void describe('host names', () => {
  void it('normalises case, brackets and one trailing dot', () => {
    assert.equal(normalizeHostname('Media.Internal.'), 'media.internal');
    assert.equal(normalizeHostname('[::1]'), '::1');
  });

  void it('treats localhost and *.localhost as loopback names', () => {
    assert.equal(isLocalhostName('localhost'), true);
    assert.equal(isLocalhostName('LOCALHOST.'), true);
    assert.equal(isLocalhostName('api.localhost'), true);
    assert.equal(isLocalhostName('localhost.example.com'), false);
    assert.equal(isLocalhostName('notlocalhost'), false);
  });
});

void describe('createAddressPolicy', () => {
  void it('allows public addresses and refuses the rest with no allow-list', () => {
    const policy = createAddressPolicy([]);
    assert.deepEqual(policy.check('example.com', '8.8.8.8'), {
      allowed: true,
      classification: { address: '8.8.8.8', family: 4, category: 'public', embeddedIpv4: undefined },
      via: 'public',
    });
    assert.deepEqual(policy.check('internal.example', '10.0.0.5'), {
      allowed: false,
      classification: { address: '10.0.0.5', family: 4, category: 'private', embeddedIpv4: undefined },
      reason: 'a private address',
      operatorCanAllow: true,
    });
    for (const address of [
      '127.0.0.1',
      '::1',
      '::ffff:7f00:1',
      '169.254.169.254',
      'fd00:ec2::254',
      '0.0.0.0',
    ]) {
      assert.equal(policy.check('x.example', address).allowed, false, address);
    }
  });

  void it('refuses answers that are not IP addresses', () => {
    const decision = createAddressPolicy([]).check('x.example', 'not-an-ip');
    assert.equal(decision.allowed, false);
    assert.equal(decision.allowed === false && decision.reason, 'not an IP address');
  });

  void it('matches host names exactly: case-insensitive, trailing dot ignored, never by suffix', () => {
    const policy = createAddressPolicy(['Media.Internal']);
    assert.equal(policy.check('media.internal', '10.0.0.5').allowed, true);
    assert.equal(policy.check('MEDIA.INTERNAL.', '10.0.0.5').allowed, true);
    assert.equal(policy.check('evil.media.internal', '10.0.0.5').allowed, false);
    assert.equal(policy.check('media.internal.evil.com', '10.0.0.5').allowed, false);
    assert.equal(policy.check('xmedia.internal', '10.0.0.5').allowed, false);
    assert.equal(policy.allowsHostname('media.internal.'), true);
    assert.equal(policy.allowsHostname('sub.media.internal'), false);
  });

  void it('a host-name entry opens private addresses but not metadata or unspecified ones', () => {
    const policy = createAddressPolicy(['media.internal']);
    assert.equal(policy.check('media.internal', '127.0.0.1').allowed, true);
    assert.equal(policy.check('media.internal', 'fd12::1').allowed, true);
    const metadata = policy.check('media.internal', '169.254.169.254');
    assert.equal(metadata.allowed, false);
    assert.equal(metadata.allowed === false && metadata.operatorCanAllow, false);
    assert.equal(policy.check('media.internal', '0.0.0.0').allowed, false);
    assert.equal(policy.check('media.internal', '224.0.0.1').allowed, false);
  });

  void it('matches exact IPs and CIDRs, including through IPv4-mapped addresses', () => {
    const policy = createAddressPolicy(['10.20.0.0/16', '192.168.1.10', 'fd12:3456::/32', '[fe80::7]']);
    assert.equal(policy.check('a', '10.20.3.4').allowed, true);
    assert.equal(policy.check('a', '10.21.0.1').allowed, false);
    assert.equal(policy.check('a', '::ffff:10.20.3.4').allowed, true);
    assert.equal(policy.check('a', '192.168.1.10').allowed, true);
    assert.equal(policy.check('a', '192.168.1.11').allowed, false);
    assert.equal(policy.check('a', 'fd12:3456:1::9').allowed, true);
    assert.equal(policy.check('a', 'fd12:3457::9').allowed, false);
    assert.equal(policy.check('a', 'fe80::7%eth0').allowed, true);
    assert.equal(policy.check('a', 'fe80::8').allowed, false);
    // An IP entry opens that address for every host name that resolves to it.
    assert.equal(policy.check('anything.example', '192.168.1.10').allowed, true);
  });

  void it('matches allow-list entries written in legacy IPv4 notation', () => {
    const policy = createAddressPolicy(['2130706433']);
    assert.equal(policy.check('a', '127.0.0.1').allowed, true);
    assert.equal(policy.check('a', '127.0.0.2').allowed, false);
  });

  void it('opens a metadata address only through an exact IP entry', () => {
    assert.equal(createAddressPolicy(['169.254.0.0/16']).check('a', '169.254.169.254').allowed, false);
    assert.equal(createAddressPolicy(['169.254.0.0/16']).check('a', '169.254.1.1').allowed, true);
    assert.equal(createAddressPolicy(['169.254.169.254']).check('a', '169.254.169.254').allowed, true);
  });

  void it('never opens unspecified, multicast or broadcast addresses', () => {
    const policy = createAddressPolicy(['0.0.0.0/0', '::/0']);
    assert.equal(policy.check('a', '10.0.0.1').allowed, true);
    for (const address of ['0.0.0.0', '::', '224.0.0.1', 'ff02::1', '255.255.255.255']) {
      const decision = policy.check('a', address);
      assert.equal(decision.allowed, false, address);
      assert.equal(decision.allowed === false && decision.operatorCanAllow, false, address);
    }
  });

  void it('rejects invalid allow-list entries with every problem named', () => {
    assert.deepEqual(validateAllowedPrivateHosts(['media.internal', '10.0.0.0/8', ' ', 'fd00::1']), []);
    assert.deepEqual(validateAllowedPrivateHosts(['10.0.0.0/33', '*.internal', 'bad host', 'a:8080']), [
      '"10.0.0.0/33" is not a valid CIDR (like 10.0.0.0/8 or fd00::/8)',
      '"*.internal": wildcards are not supported; list each host name',
      '"bad host" is not a host name, an IP address or a CIDR',
      '"a:8080" is not a host name, an IP address or a CIDR',
    ]);
    assert.throws(
      () => createAddressPolicy(['*.internal']),
      (error: unknown) =>
        error instanceof EarshotError &&
        error.code === 'internal' &&
        error.message ===
          'EARSHOT_ALLOWED_PRIVATE_HOSTS is invalid: "*.internal": wildcards are not supported; list each host name',
    );
  });

  void it('accepts internationalised host names as their punycode form', () => {
    const policy = createAddressPolicy(['médias.example']);
    assert.equal(policy.allowsHostname(new URL('http://médias.example/').hostname), true);
    assert.equal(policy.allowsHostname('xn--mdias-bsa.example'), true);
  });
});
