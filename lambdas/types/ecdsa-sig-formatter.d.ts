/** ecdsa-sig-formatter ships no types: the two conversions it offers, as its README documents them. */
declare module 'ecdsa-sig-formatter' {
  /** A DER (ASN.1) ECDSA signature as JOSE encodes it: r ‖ s, base64url. */
  export function derToJose(signature: Buffer | string, alg: string): string;
  /** A JOSE signature (r ‖ s, base64url or bytes) as DER. */
  export function joseToDer(signature: Buffer | string, alg: string): Buffer;
}
