import { describe, expect, it } from 'vitest';
import { classifyIp, parseIpv6 } from './ip';

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

  it('expands :: and embedded IPv4 to 16 bytes', () => {
    expect(parseIpv6('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(parseIpv6('::ffff:1.2.3.4')).toEqual([...Array(10).fill(0), 255, 255, 1, 2, 3, 4]);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toHaveLength(16);
  });
});
