import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may be delivered. Link-local and cloud metadata addresses never (they hand out credentials to
 * whoever asks from inside the cloud); loopback and private ranges only when the deployment allows them
 * (TRAINYARD_WEBHOOK_ALLOW_PRIVATE, e.g. a receiver on the same network, and the tests); everything else yes.
 * The API checks a URL when a webhook is created; delivery resolves the name, checks every address and connects to
 * the checked one, so a name that is re-pointed after creation (DNS rebinding) reaches nothing it should not.
 */

/** Names that resolve to a cloud's metadata service from inside it. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

const NEVER = new BlockList();
NEVER.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, AWS/GCP/Azure metadata at 169.254.169.254
NEVER.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
NEVER.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
NEVER.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, broadcast
NEVER.addSubnet('fe80::', 10, 'ipv6'); // link-local
NEVER.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
NEVER.addSubnet('ff00::', 8, 'ipv6'); // multicast

const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
PRIVATE.addSubnet('0.0.0.0', 8, 'ipv4'); // "this host": connecting to 0.0.0.0 reaches loopback
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** A webhook target that the policy refuses; delivery gives up on it instead of retrying. */
export class WebhookTargetRefusedError extends Error {
  override name = 'WebhookTargetRefusedError';
}

/** Why an IP address may not receive webhooks, or null when it may. */
export function addressProblem(address: string, allowPrivate: boolean): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  const [ip, type] = v4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (NEVER.check(ip, type)) return `${address} is a link-local, metadata or multicast address, which never receives webhooks`;
  if (!allowPrivate && PRIVATE.check(ip, type)) return `${address} is a loopback or private address; set TRAINYARD_WEBHOOK_ALLOW_PRIVATE=true to deliver there`;
  return null;
}

/** What can be said of a URL without resolving it: scheme, credentials, metadata names, address literals. */
export function webhookUrlProblem(url: URL, allowPrivate: boolean): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry credentials; deliveries are signed with the webhook secret instead';
  const host = hostOf(url);
  if (METADATA_NAMES.has(host)) return `${host} is a cloud metadata service, which never receives webhooks`;
  return isIP(host) ? addressProblem(host, allowPrivate) : null;
}

/** The URL's host as DNS sees it: no IPv6 brackets, no trailing dot, lowercase. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/** Resolves a name to every address it has, and refuses it when any of them is refused. */
export async function checkResolvedHost(host: string, allowPrivate: boolean): Promise<{ address: string; family: number }[]> {
  const addresses = await new Promise<{ address: string; family: number }[]>((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, found) => (err ? reject(err) : resolve(found))),
  );
  for (const { address } of addresses) {
    const problem = addressProblem(address, allowPrivate);
    if (problem) throw new WebhookTargetRefusedError(`${host} resolves to ${problem}`);
  }
  return addresses;
}

/** A `lookup` for http.request that hands the socket only addresses it has checked (so DNS cannot change in between). */
export function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    checkResolvedHost(hostname, allowPrivate).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (!wanted.length) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (err: null, all: { address: string; family: number }[]) => void)(null, wanted);
        callback(null, wanted[0].address, wanted[0].family);
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address, if any. */
function embeddedIpv4(address: string): string | null {
  const groups = ipv6Groups(address);
  if (!groups) return null;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return null;
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted quad expanded). */
function ipv6Groups(address: string): number[] | null {
  let text = address.split('%')[0];
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const groups = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
