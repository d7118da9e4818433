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
import { AuthenticationConstants, AuthenticationError, ConnectorFactory, type AuthenticateRequestResult, type ClaimsIdentity, type ConnectorClient, type UserTokenClient } from 'botframework-connector';
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

/** How many distinct clients ReusingAuthentication keeps (service URLs × audiences × app ids: a handful in practice). */
const MAX_CACHED_CLIENTS = 64;

/** A small map that forgets everything once it is full: the keys are few, and a flood of made-up ones must not grow it. */
function cached<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    if (cache.size >= MAX_CACHED_CLIENTS) cache.clear();
    hit = make();
    // A failed creation (credentials not obtainable just now) is not remembered: the next turn tries again.
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}

/** The app id the SDK builds a turn's clients for (parameterizedBotFrameworkAuthentication's getAppId, botframework-connector 4.23). */
function appIdOf(claims: ClaimsIdentity): string {
  return claims.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claims.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/**
 * The SDK's authentication, building the clients of a turn once rather than every turn. CloudAdapter asks for a
 * new ConnectorFactory with each request, which builds a new ConnectorClient (HTTP pipeline, credentials), and a new
 * UserTokenClient: a tenth of a turn's CPU in all. The clients hold no per-turn state (each call takes its
 * conversation and activity as arguments, and the credentials cache their own tokens), so one per app id, service
 * URL and audience serves every turn, as the SDK's older BotFrameworkAdapter kept them.
 */
export class ReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokens = new Map<string, Promise<UserTokenClient>>();
  private readonly factories = new Map<string, ConnectorFactory>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.reusing(appIdOf(result.claimsIdentity), result.connectorFactory) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(appIdOf(claimsIdentity), super.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return cached(this.userTokens, appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  /** A factory handing out the connector clients made so far for this app id; `fresh` makes the missing ones. */
  private reusing(appId: string, fresh: ConnectorFactory): ConnectorFactory {
    let factory = this.factories.get(appId);
    if (!factory) {
      if (this.factories.size >= MAX_CACHED_CLIENTS) this.factories.clear();
      const connectors = this.connectors;
      factory = new (class extends ConnectorFactory {
        create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
          return cached(connectors, `${appId}\n${serviceUrl}\n${audience ?? ''}`, () => fresh.create(serviceUrl, audience));
        }
      })();
      this.factories.set(appId, factory);
    }
    return factory;
  }
}

/** The SDK's authentication, with every refusal an AuthenticationError (401); see the module comment. */
export class CheckedAuthentication extends ReusingAuthentication {
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
