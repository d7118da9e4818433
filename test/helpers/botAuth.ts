/**
 * Bot Framework tokens for authentication tests, with no network: JWTs made
 * with node:crypto, and control over the signing keys the SDK trusts.
 *
 * The SDK caches the OpenID metadata (signing keys) per metadata URL in a
 * static map on JwtTokenExtractor (botframework-connector 4.23, an internal).
 * trustKey() puts a test key there; forgetKeys() empties it, so the next
 * token that needs its signature checked makes the SDK fetch the keys.
 */
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { AuthenticationConstants } from 'botframework-connector';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';

const METADATA_URLS = [AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl, AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl];

function metadataCache(): Map<string, unknown> {
  const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache?: Map<string, unknown> }).openIdMetadataCache;
  if (!(cache instanceof Map)) throw new Error('botframework-connector internals changed: JwtTokenExtractor.openIdMetadataCache is gone; update test/helpers/botAuth.ts');
  return cache;
}

/** Makes the SDK trust `publicKey` under key id `kid` (for the Teams channel endorsement). */
export function trustKey(kid: string, publicKey: KeyObject): void {
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  for (const url of METADATA_URLS) metadataCache().set(url, { getKey: async (id: string) => (id === kid ? { key: pem, endorsements: ['msteams'] } : null) });
}

/** Drops every cached signing key: checking a signature then needs a fetch. */
export function forgetKeys(): void {
  for (const url of METADATA_URLS) metadataCache().delete(url);
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function rsaKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** A compact JWT: RS256 with a private key, HS256 with a secret, or "none" unsigned. */
export function jwt(claims: Record<string, unknown>, how: { alg: 'RS256'; key: KeyObject; kid: string } | { alg: 'HS256'; secret: string } | { alg: 'none' }): string {
  const header = { typ: 'JWT', alg: how.alg, ...(how.alg === 'RS256' ? { kid: how.kid, x5t: how.kid } : {}) };
  const data = `${b64url(header)}.${b64url(claims)}`;
  if (how.alg === 'none') return `${data}.`;
  const sig = how.alg === 'RS256' ? sign('sha256', Buffer.from(data), how.key) : createHmac('sha256', how.secret).update(data).digest();
  return `${data}.${sig.toString('base64url')}`;
}

/** The claims of a Bot Framework channel token for `appId`, valid from `fromS` to `toS` (seconds from now). */
export function channelClaims(appId: string, serviceUrl: string, fromS: number, toS: number): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: AuthenticationConstants.ToBotFromChannelTokenIssuer, aud: appId, serviceurl: serviceUrl, nbf: now + fromS, iat: now + fromS, exp: now + toS };
}
