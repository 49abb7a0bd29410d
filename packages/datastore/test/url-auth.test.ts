import type { DatastoreConfig } from "@outpost/types";
import { describe, expect, it } from "vitest";
import {
  archiveUrl,
  blobUrl,
  manifestUrl,
  parseChallenge,
  parseImageRef,
  tokenFromBody,
  tokenUrl,
} from "../src/index.js";

const ds = (o: Partial<DatastoreConfig>): DatastoreConfig => ({
  id: "d",
  type: "http",
  fqdn: "h:8080",
  path: "",
  username: "",
  password: "",
  caCertsPem: [],
  insecure: false,
  ...o,
});

describe("datastore URLs", () => {
  it("joins fqdn, path and relative URL; the scheme follows the type", () => {
    expect(archiveUrl(ds({ path: "/images/" }), "/a/b.tar").href).toBe("http://h:8080/images/a/b.tar");
    expect(archiveUrl(ds({ type: "https", fqdn: "h" }), "b.tar").href).toBe("https://h/b.tar");
    expect(archiveUrl(ds({ fqdn: "https://h:9/base" }), "b.tar").href).toBe("https://h:9/base/b.tar");
  });

  it("registry: https unless insecure; manifests and blobs by digest under /v2/", () => {
    const hex = "c".repeat(64);
    expect(blobUrl(ds({ type: "registry" }), "apps/x", hex).href).toBe(
      `https://h:8080/v2/apps/x/blobs/sha256:${hex}`,
    );
    expect(manifestUrl(ds({ type: "registry", insecure: true }), "x", "v1").href).toBe(
      "http://h:8080/v2/x/manifests/v1",
    );
  });

  it("parses image references", () => {
    expect(parseImageRef("apps/x:v1")).toEqual({ repo: "apps/x", tag: "v1" });
    expect(parseImageRef("x")).toEqual({ repo: "x", tag: "latest" });
    expect(parseImageRef(`x@sha256:${"d".repeat(64)}`)).toEqual({
      repo: "x",
      digest: `sha256:${"d".repeat(64)}`,
    });
    expect(() => parseImageRef("Bad Repo:1")).toThrow(/bad repository name/);
    expect(() => parseImageRef("x@sha256:12")).toThrow(/bad digest/);
  });
});

describe("auth challenges", () => {
  it("parses a Bearer challenge into the token URL", () => {
    const c = parseChallenge(
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"',
    );
    expect(c?.scheme).toBe("bearer");
    expect(tokenUrl(c as NonNullable<typeof c>).href).toBe(
      "https://auth.example/token?service=registry.example&scope=repository%3Aa%2Fb%3Apull",
    );
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: "basic", params: { realm: "x" } });
  });

  it("takes token or access_token", () => {
    expect(tokenFromBody('{"token":"t1"}')).toBe("t1");
    expect(tokenFromBody('{"access_token":"t2"}')).toBe("t2");
    expect(() => tokenFromBody("{}")).toThrow(/without a token/);
  });
});
