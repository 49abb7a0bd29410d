// The edge-app manifest and the orchestration commands, as they arrive on `<nodeId>/orchestration`.
// Decoded once here; anything else is refused with a message naming the bad field.
import { DecodeError, type DeviceMapping, deviceMappingError, type Infer, t } from "@outpost/types";

const { array, boolean, integer, object, oneOf, optional, range, record, string, unknown, withDefault } = t;

export const MANIFEST_API = "outpost.mqtt/v1";

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a module's image comes from: an HTTP(S) datastore (a `docker save` archive and its sha256)
 * or an OCI registry (`repo:tag` or `repo@sha256:...`). */
export const ImageSourceCodec = object({
  /** http(s)://host[:port]/path/to/archive.tar */
  url: optional(string),
  sha256: withDefault(string, ""),
  /** host[:port] of an OCI registry */
  registry: optional(string),
  name: optional(string),
  /** the registry speaks plain http (a local registry) */
  insecure: withDefault(boolean, false),
});

export const ModuleCodec = object({
  name: string,
  image: ImageSourceCodec,
  env: withDefault(record(string), {}),
  /** Secret parameters: base64 of AES-256-GCM (iv 12 | tag 16 | ciphertext) under the org key. */
  secretEnv: withDefault(record(string), {}),
  /** The port the module listens on for its input (INGRESS_PORT), default 80. */
  ingressPort: withDefault(range(integer, 1, 65535), 80),
  ports: withDefault(
    array(
      object({
        host: range(integer, 1, 65535),
        container: range(integer, 1, 65535),
        protocol: withDefault(oneOf(["tcp", "udp"] as const), "tcp"),
      }),
    ),
    [],
  ),
  /** Named volumes of the edge app (shared by the modules naming the same one), mounted at path. */
  mounts: withDefault(array(object({ volume: string, path: string })), []),
  /** Host devices for the module's container: `host` and `container` (default: the same path) under
   * /dev/, `permissions` the cgroup's r/w/m (default rwm). */
  devices: withDefault(
    array(object({ host: string, container: optional(string), permissions: withDefault(string, "rwm") })),
    [],
  ),
  memoryMiB: withDefault(range(integer, 0, 1 << 20), 0),
  cpus: withDefault(range(integer, 0, 1024), 0),
});
export type Module = Infer<typeof ModuleCodec>;

/** A module's devices as the app machinery takes them (DomainConfig.devices). */
export function moduleDevices(m: Module): DeviceMapping[] {
  return m.devices.map((d) => ({
    hostPath: d.host,
    containerPath: d.container ?? d.host,
    permissions: d.permissions,
  }));
}

export const ManifestCodec = object(
  {
    apiVersion: withDefault(string, MANIFEST_API),
    id: string,
    name: withDefault(string, ""),
    /** A deploy of a higher version updates the running app in place; a lower one is refused. */
    version: range(integer, 0, Number.MAX_SAFE_INTEGER),
    /** In pipeline order: each module sends its output to the next one. */
    modules: array(ModuleCodec),
  },
  "EdgeAppManifest",
);
export type Manifest = Infer<typeof ManifestCodec>;

export const COMMANDS = ["deploy", "stop", "resume", "undeploy", "remove"] as const;
export type CommandName = (typeof COMMANDS)[number];

export type Command =
  | { command: "deploy"; manifest: Manifest }
  | { command: Exclude<CommandName, "deploy">; id: string };

export type Parsed =
  | { ok: true; value: Command }
  | { ok: false; command?: string; id?: string; error: string };

const EnvelopeCodec = object({ command: string, id: optional(string), manifest: optional(unknown) });

/** Parses one orchestration message (JSON). Never throws: a refusal says what is wrong. */
export function parseCommand(payload: Buffer | string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString());
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  let env: Infer<typeof EnvelopeCodec>;
  try {
    env = EnvelopeCodec.decode(json);
  } catch (e) {
    return { ok: false, error: `bad command message: ${(e as Error).message}` };
  }
  const command = env.command.toLowerCase();
  if (!(COMMANDS as readonly string[]).includes(command))
    return {
      ok: false,
      command: env.command,
      ...(env.id ? { id: env.id } : {}),
      error: `unknown command "${env.command}" (known: ${COMMANDS.join(", ")})`,
    };
  if (command === "deploy") {
    const m = parseManifest(env.manifest);
    if (!m.ok) return { ok: false, command, ...(m.id ? { id: m.id } : {}), error: m.error };
    return { ok: true, value: { command: "deploy", manifest: m.manifest } };
  }
  const id = env.id ?? (env.manifest as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string" || !id) return { ok: false, command, error: `${command}: no edge app id` };
  return { ok: true, value: { command: command as Exclude<CommandName, "deploy">, id } };
}

export function parseManifest(
  raw: unknown,
): { ok: true; manifest: Manifest } | { ok: false; id?: string; error: string } {
  const id = typeof (raw as { id?: unknown })?.id === "string" ? (raw as { id: string }).id : undefined;
  const fail = (error: string) => ({ ok: false as const, ...(id ? { id } : {}), error });
  if (raw === undefined) return fail("deploy: no manifest");
  let m: Manifest;
  try {
    m = ManifestCodec.decode(raw, "manifest");
  } catch (e) {
    return fail(e instanceof DecodeError ? `malformed manifest: ${e.message}` : String(e));
  }
  if (m.apiVersion !== MANIFEST_API)
    return fail(`unsupported manifest apiVersion "${m.apiVersion}" (supported: ${MANIFEST_API})`);
  if (!NAME.test(m.id)) return fail(`manifest id "${m.id}": lower-case letters, digits and -, at most 63`);
  if (m.modules.length === 0) return fail("manifest has no modules");
  const names = new Set<string>();
  for (const [i, mod] of m.modules.entries()) {
    const at = `module ${i} (${mod.name})`;
    if (!NAME.test(mod.name)) return fail(`${at}: name must be lower-case letters, digits and -`);
    if (names.has(mod.name)) return fail(`${at}: duplicate module name`);
    names.add(mod.name);
    const img = mod.image;
    if (img.url !== undefined) {
      let u: URL;
      try {
        u = new URL(img.url);
      } catch {
        return fail(`${at}: image url "${img.url}" is not a URL`);
      }
      if (u.protocol !== "http:" && u.protocol !== "https:")
        return fail(`${at}: image url must be http(s), got ${u.protocol}`);
      if (!/^[0-9a-f]{64}$/.test(img.sha256)) return fail(`${at}: an image url needs its sha256 (64 hex)`);
    } else if (img.registry === undefined || !img.name)
      return fail(`${at}: image needs either url + sha256 or registry + name`);
    for (const k of [...Object.keys(mod.env), ...Object.keys(mod.secretEnv)])
      if (!ENV_KEY.test(k)) return fail(`${at}: bad environment variable name "${k}"`);
    for (const k of Object.keys(mod.secretEnv))
      if (k in mod.env) return fail(`${at}: "${k}" is both a parameter and a secret parameter`);
    for (const mt of mod.mounts) {
      if (!NAME.test(mt.volume)) return fail(`${at}: bad volume name "${mt.volume}"`);
      if (!mt.path.startsWith("/")) return fail(`${at}: mount path "${mt.path}" is not absolute`);
    }
    for (const d of moduleDevices(mod)) {
      const error = deviceMappingError(d);
      if (error) return fail(`${at}: ${error}`);
    }
  }
  return { ok: true, manifest: m };
}
