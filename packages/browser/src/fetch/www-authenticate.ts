/**
 * Reads the auth-params of a `Bearer` challenge (RFC 6750 3, RFC 9110 11.6.1), e.g.
 * `Bearer error="insufficient_claims", claims="eyJ..."`. Returns undefined without a Bearer challenge.
 */
export function parseBearerChallenge(header: string | null): Record<string, string> | undefined {
  if (header === null) return undefined;
  const start = header.search(/(^|[\s,])Bearer(\s|$)/i);
  if (start === -1) return undefined;
  const rest = header.slice(start).replace(/^[\s,]*Bearer/i, '');
  const params: Record<string, string> = {};
  const re = /\s*,?\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/gy;
  let match: RegExpExecArray | null;
  while ((match = re.exec(rest)) !== null) {
    const [, name, quoted, token] = match;
    if (name === undefined) break;
    // A new scheme name ("..., Basic realm=...") ends this challenge.
    params[name.toLowerCase()] =
      quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (token ?? '');
  }
  return params;
}

/**
 * The `claims` of an `insufficient_claims` challenge as a JSON string (Entra ID sends it
 * base64-encoded; OIDC Core 5.5 defines the JSON), or undefined when it is not one.
 */
export function claimsFromChallenge(
  params: Record<string, string> | undefined,
): string | undefined {
  if (params?.error !== 'insufficient_claims' || params.claims === undefined) return undefined;
  const raw = params.claims;
  for (const candidate of [raw, decodeBase64(raw)]) {
    if (candidate === undefined) continue;
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (typeof parsed === 'object' && parsed !== null) return candidate;
    } catch {
      // not this encoding
    }
  }
  return undefined;
}

function decodeBase64(value: string): string | undefined {
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
