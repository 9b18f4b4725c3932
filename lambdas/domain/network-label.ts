/**
 * The network an address belongs to, as the member's Sécurité page shows it: the first three bytes of
 * an IPv4 address (« 203.0.113.x »), the /64 prefix of an IPv6 one — enough to tell home from work or
 * a mobile network, without a raw address such as « ::1 ». Loopback and private addresses say so.
 */
export type NetworkLabel =
  | { readonly kind: 'this-computer' }
  | { readonly kind: 'local' }
  | { readonly kind: 'internet'; readonly network: string }
  | { readonly kind: 'unknown' };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function networkLabel(address: string | undefined): NetworkLabel {
  const ip = (address ?? '').trim().replace(/^::ffff:(?=\d+\.)/i, '');
  const v4 = IPV4.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 127) return { kind: 'this-computer' };
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) {
      return { kind: 'local' };
    }
    return { kind: 'internet', network: `${v4[1]}.${v4[2]}.${v4[3]}.x` };
  }
  const groups = ipv6Groups(ip);
  if (!groups) return { kind: 'unknown' };
  if (groups.every((g, i) => (i < 7 ? g === 0 : g === 1))) return { kind: 'this-computer' };
  const first = groups[0]!;
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80) return { kind: 'local' };
  const prefix = groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')
    .replace(/(:0)+$/, '');
  return { kind: 'internet', network: `${prefix}::/64` };
}

/** The eight 16-bit groups of an IPv6 address in text form, or undefined if it is not one. */
function ipv6Groups(ip: string): number[] | undefined {
  if (!/^[0-9a-f:]+$/i.test(ip) || ip.split('::').length > 2) return undefined;
  const [head = '', tail] = ip.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined;
  const all = [...left, ...Array.from({ length: missing }, () => '0'), ...right];
  if (all.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return all.map((g) => Number.parseInt(g, 16));
}
