import { BlockList, isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';

/**
 * The client's address as this server trusts it: `req.ip` (which follows `TRUST_PROXY`) when
 * it is an IP address, else the address of the hop that connected. Express hands on whatever
 * a trusted hop put in `X-Forwarded-For` (`notanip`, `9.9.9.9:1234`); such a value must not
 * become a rate-limit budget of its own, so it counts as the hop's (issue 14).
 */
export function clientAddress(req: Request): string | undefined {
  const ip = req.ip;
  if (ip && isIP(ip)) return ip;
  const hop = req.socket.remoteAddress;
  return hop && isIP(hop) ? hop : undefined;
}

/**
 * Makes `req.ip` the `clientAddress` for the rest of the request, so that everything keyed by
 * it (express-rate-limit's default key and its checks, the request log) sees an address.
 * An own property on the request shadows Express's getter for this request only.
 */
export const addressOnlyIp: RequestHandler = function addressOnlyIp(req, _res, next) {
  const ip = req.ip;
  if (!ip || !isIP(ip)) Object.defineProperty(req, 'ip', { value: clientAddress(req), configurable: true });
  next();
};

/** `::ffff:127.0.0.1` (an IPv4 client of a dual-stack socket) is 127.0.0.1. */
function plain(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

/**
 * A list of addresses and CIDRs (`loopback`, `10.0.0.0/8`, `2001:db8::1`, `none`), as
 * `TRUSTED_PROXIES` takes it. Throws on an entry that is neither, naming the entry (addresses
 * are not secrets).
 */
export function parseAddressList(value: string): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (entry === 'none') continue;
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && prefix <= max))) {
      throw new Error(`"${entry}" is not an address, a CIDR, loopback or none`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return (address) => {
    const candidate = plain(address);
    const family = isIP(candidate);
    return family !== 0 && list.check(candidate, family === 4 ? 'ipv4' : 'ipv6');
  };
}
