/** Lower-case hex of bytes: for ids, names and fingerprints, never for secrets themselves. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
