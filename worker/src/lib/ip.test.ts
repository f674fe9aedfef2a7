import { describe, expect, it } from 'vitest';
import { classifyIp, clientKey, ipv6Groups, isInternalHostName, isPrivateIp } from './ip';

describe('isPrivateIp', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast and reserved IPv4', () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.5']) {
      expect(isPrivateIp(ip), ip).toBe(true);
    }
  });

  it('lets public IPv4 through, including neighbours of the private ranges', () => {
    for (const ip of ['1.1.1.1', '8.8.8.8', '172.15.255.255', '172.32.0.1', '100.128.0.1', '11.0.0.1', '192.169.0.1']) {
      expect(isPrivateIp(ip), ip).toBe(false);
    }
  });

  it('refuses IPv6 loopback, unique-local, link-local, and IPv4-mapped or NAT64 private addresses', () => {
    for (const ip of ['::1', '[::1]', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::10.0.0.1', '2001:db8::1']) {
      expect(isPrivateIp(ip), ip).toBe(true);
    }
  });

  it('lets public IPv6 through', () => {
    for (const ip of ['2606:4700:4700::1111', '2a00:1450:4001:82a::200e', '::ffff:8.8.8.8']) expect(isPrivateIp(ip), ip).toBe(false);
  });

  it('parses IPv6 forms exactly', () => {
    expect(ipv6Groups('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups('1:2:3')).toBeNull();
    expect(ipv6Groups('1::2::3')).toBeNull();
    expect(ipv6Groups('12345::')).toBeNull();
  });
});

describe('isInternalHostName', () => {
  it('refuses names that only resolve inside a network', () => {
    for (const h of ['localhost', 'LOCALHOST.', 'api.localhost', 'printer.local', 'db.internal', 'intranet', 'nas.home.arpa', 'box.localdomain', 'metadata', 'metadata.google.internal', 'instance-data']) expect(isInternalHostName(h), h).toBe(true);
  });

  it('accepts ordinary public names', () => {
    for (const h of ['example.com', 'cdn.example.org', 'localhost-tools.com', 'files.local-bank.com']) expect(isInternalHostName(h), h).toBe(false);
  });
});

describe('IP classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link_local'],
    ['0.0.0.0', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['8.8.8.8', 'public'],
    ['[::1]', 'loopback'],
    ['::', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link_local'],
    ['fd00:ec2::254', 'private'],
    ['fe80::1%eth0', 'link_local'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyIp(ip)).toBe(cls);
  });

  it('says null for what is not an IP literal', () => {
    for (const text of ['example.com', 'localhost', '1.2.3', '1.2.3.256', ':::', '1::2::3', '']) expect(classifyIp(text)).toBeNull();
  });

});

describe('clientKey', () => {
  it('counts an IPv6 client by its /64, whatever its spelling, and an IPv4 one by its address', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('not an ip')).toBe('not an ip');
  });
});
