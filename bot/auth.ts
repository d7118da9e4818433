/**
 * Authentication of incoming requests, on the SDK's own checks
 * (ConfigurationBotFrameworkAuthentication), with every refusal a 401 logged
 * once through the logger, and without the console output and refetching the
 * SDK does by itself:
 *
 * - A token bad on its face (not a Bot Framework algorithm, expired, not yet
 *   valid) is refused before any outbound call; jsonwebtoken reads it.
 * - A token whose signature, audience or format fails the SDK's check is an
 *   AuthenticationError (jsonwebtoken's own errors reached clients as 500).
 * - A token that cannot be checked because the signing keys cannot be fetched
 *   is refused too, the reason warned about once per AUTH_LIMITS.keyFetchRetryMs,
 *   and the failed fetch is remembered for that long, so a flood of tokens
 *   does not fetch again (botframework-connector 4.23 refetches on every one).
 * - botframework-connector prints refused tokens to the console (the key, or
 *   the error's stack); those lines are dropped, as the server logs each
 *   refusal once, without a stack (bot/server.ts).
 */
import { ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
// The SDK's signing-key cache (an internal of the same botframework-connector version): see rememberKeyFetchFailures.
import { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import jwt from 'jsonwebtoken';
import type { Logger } from './logger';

export const AUTH_LIMITS = {
  /** The SDK's clock skew allowance when it checks a token's lifetime, in seconds. */
  clockSkewS: 5 * 60,
  /** After the signing keys could not be fetched, tokens needing them are refused without a new fetch for this long. */
  keyFetchRetryMs: 30_000,
};

/**
 * Why a bearer token can be refused from its own claims, before the SDK
 * fetches Bot Framework's signing keys to check it: expired, not yet valid, or
 * not signed with an algorithm Bot Framework uses. Undefined when only its
 * signature can tell (or it is no JWT at all: the SDK refuses those itself).
 */
export function tokenRefusal(authHeader: string, nowS = Date.now() / 1000): string | undefined {
  const m = /^Bearer\s+(\S+)$/.exec(authHeader.trim());
  if (!m) return undefined;
  const decoded = jwt.decode(m[1], { complete: true, json: true });
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) return undefined;
  const { header, payload } = decoded;
  if (typeof header.alg !== 'string' || !AuthenticationConstants.AllowedSigningAlgorithms.includes(header.alg)) return 'Token signing algorithm not allowed';
  if (typeof payload.exp === 'number' && payload.exp + AUTH_LIMITS.clockSkewS < nowS) return 'The token has expired';
  if (typeof payload.nbf === 'number' && payload.nbf - AUTH_LIMITS.clockSkewS > nowS) return 'The token is not valid yet';
  return undefined;
}

const FAILED = Symbol('keyFetchFailed');
type Remembering = { refreshCache(): Promise<void>; [FAILED]?: { at: number; err: unknown } };

/**
 * The SDK fetches the signing keys again on every request while the fetch fails (OpenIdMetadata keeps
 * no record of a failure), and it offers no setting for it: remember each metadata source's failure for
 * AUTH_LIMITS.keyFetchRetryMs, failing at once meanwhile. Installed once, for the process.
 */
let remembering = false;
export function rememberKeyFetchFailures(now: () => number = Date.now): void {
  if (remembering) return;
  remembering = true;
  const proto = OpenIdMetadata.prototype as unknown as Remembering;
  const refresh = proto.refreshCache;
  proto.refreshCache = async function (this: Remembering): Promise<void> {
    const failed = this[FAILED];
    if (failed && now() - failed.at < AUTH_LIMITS.keyFetchRetryMs) throw failed.err;
    try {
      await refresh.call(this);
      this[FAILED] = undefined;
    } catch (err) {
      this[FAILED] = { at: now(), err };
      throw err;
    }
  };
}

/**
 * botframework-connector 4.23 prints each refused token to the console (jwtTokenExtractor.js: the error
 * with its stack for an expired one, the public keys for a bad signature). The server logs the refusal
 * once, through the logger; only these lines are dropped, everything else printed goes through.
 */
let quieted = false;
export function quietSdkTokenErrors(): void {
  if (quieted) return;
  quieted = true;
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const first = args[0];
    if (typeof first === 'string' && first.startsWith('Error finding key for token')) return;
    if (first instanceof Error && /^(TokenExpiredError|JsonWebTokenError|NotBeforeError)$/.test(first.name)) return;
    print(...args);
  };
}

/** The SDK's authentication, with every refusal an AuthenticationError (401); see the module comment. */
export class CheckedAuthentication extends ConfigurationBotFrameworkAuthentication {
  private keysWarnedAt = -Infinity;

  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly logger?: Logger,
  ) {
    super(options);
    rememberKeyFetchFailures();
    quietSdkTokenErrors();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const refusal = tokenRefusal(authHeader);
    if (refusal) throw new AuthenticationError(refusal, 401);
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      if (err instanceof Error && /^(JsonWebTokenError|TokenExpiredError|NotBeforeError)$/.test(err.name)) throw new AuthenticationError(`Unauthorized: ${err.message}`, 401);
      if (err instanceof AuthenticationError && err.statusCode === 401) throw err;
      // Fetching the signing keys (or the OpenID metadata) failed: the SDK's own "Failed to load …" (500) or the fetch's error.
      if (Date.now() - this.keysWarnedAt >= AUTH_LIMITS.keyFetchRetryMs) {
        this.keysWarnedAt = Date.now();
        const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        this.logger?.warn({ reason, retryAfterMs: AUTH_LIMITS.keyFetchRetryMs }, 'request refused (401): its token could not be checked, most likely because the signing keys could not be fetched; not fetching them again for a while');
      }
      throw new AuthenticationError('Unauthorized: the token could not be verified.', 401);
    }
  }
}
