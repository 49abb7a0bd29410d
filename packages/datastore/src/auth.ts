// Registry and datastore authentication: anonymous first; on 401 the WWW-Authenticate challenge
// says how. Basic -> send the datastore's credentials; Bearer realm=... -> fetch a token from the
// realm (with the credentials, when there are any) and retry with it (the distribution token flow).

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="https://x/token",service="reg",scope="repository:a:pull"` (one challenge). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[2] ?? ""); p; p = re.exec(m[2] ?? "")) {
    params[(p[1] as string).toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, "$1") : (p[3] ?? "");
  }
  return { scheme: (m[1] as string).toLowerCase(), params };
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** The token endpoint URL for a Bearer challenge. */
export function tokenUrl(c: Challenge): URL {
  const realm = c.params.realm;
  if (!realm) throw new Error("Bearer challenge without realm");
  const u = new URL(realm);
  if (c.params.service) u.searchParams.set("service", c.params.service);
  if (c.params.scope) u.searchParams.set("scope", c.params.scope);
  return u;
}

/** The token from a token endpoint's JSON body (`token` or the OAuth2 `access_token`). */
export function tokenFromBody(body: string): string {
  const doc = JSON.parse(body) as { token?: unknown; access_token?: unknown };
  const t = typeof doc.token === "string" && doc.token ? doc.token : doc.access_token;
  if (typeof t !== "string" || !t) throw new Error("token endpoint answered without a token");
  return t;
}
