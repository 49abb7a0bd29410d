// The boot selector: which slot the node boots next. Two backends keep the same variables in a
// GRUB-style environment block (`key=value` lines), so build/init/outpost-boot (the stand-in for the
// bootloader) reads either one with the same few lines of sh:
//   outpost_default  the slot that boots when nothing else is asked (GRUB's saved_entry)
//   outpost_next     the slot to boot once (GRUB's next_entry): outpost-boot unsets it before it boots
//                    that slot, so a slot that does not even start is not booted a second time
//   outpost_trying   the slot under test; set with outpost_next, cleared by a commit or a fallback.
//                    Booted into another slot while it is still set = the try failed (fall back).
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";

export type Slot = "A" | "B";
export const SLOTS: readonly Slot[] = ["A", "B"];
export const otherSlot = (slot: Slot): Slot => (slot === "A" ? "B" : "A");
export const isSlot = (s: string | undefined): s is Slot => s === "A" || s === "B";

/** The selector's view, as the variables read back. */
export interface BootEnv {
  defaultSlot: Slot;
  next?: Slot;
  trying?: Slot;
}

/** A key=value environment block: the one thing a backend has to provide. */
export interface EnvBlock {
  /** Written to `slots/selector`, so outpost-boot knows how to read and consume the block. */
  readonly selectorLine: string;
  list(): Promise<Record<string, string>>;
  set(vars: Record<string, string>): Promise<void>;
  unset(names: string[]): Promise<void>;
}

/** The variables of a GRUB environment block or of the file backend (comments and padding skipped). */
export function parseEnvBlock(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq > 0) vars[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return vars;
}

export function formatEnvBlock(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${v}\n`)
    .join("");
}

/** The default backend: a plain file, replaced atomically (write + rename) on every change. */
export class FileEnvBlock implements EnvBlock {
  readonly selectorLine = "file";
  constructor(readonly path: string) {}

  async list(): Promise<Record<string, string>> {
    try {
      return parseEnvBlock(readFileSync(this.path, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
  }

  async set(vars: Record<string, string>): Promise<void> {
    this.write({ ...(await this.list()), ...vars });
  }

  async unset(names: string[]): Promise<void> {
    const vars = await this.list();
    for (const n of names) delete vars[n];
    this.write(vars);
  }

  private write(vars: Record<string, string>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(`${this.path}.tmp`, formatEnvBlock(vars), { flush: true });
    renameSync(`${this.path}.tmp`, this.path);
  }
}

const run = promisify(execFile);

/** GRUB's environment block through `grub-editenv` (Debian's grub-common): /boot/grub/grubenv on a device. */
export class GrubEnvBlock implements EnvBlock {
  constructor(
    readonly path: string,
    private readonly tool = "grub-editenv",
  ) {}

  get selectorLine(): string {
    return `grub:${this.path}`;
  }

  private async editenv(args: string[]): Promise<string> {
    try {
      return (await run(this.tool, [this.path, ...args], { encoding: "utf8" })).stdout;
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === "ENOENT") throw new Error(`${this.tool} not found (install Debian's grub-common)`);
      throw new Error(`${this.tool} ${this.path} ${args.join(" ")}: ${(e.stderr ?? e.message).trim()}`);
    }
  }

  private async ensure(): Promise<void> {
    try {
      readFileSync(this.path);
    } catch {
      mkdirSync(dirname(this.path), { recursive: true });
      await this.editenv(["create"]);
    }
  }

  async list(): Promise<Record<string, string>> {
    await this.ensure();
    return parseEnvBlock(await this.editenv(["list"]));
  }

  async set(vars: Record<string, string>): Promise<void> {
    await this.ensure();
    const pairs = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    if (pairs.length > 0) await this.editenv(["set", ...pairs]);
  }

  async unset(names: string[]): Promise<void> {
    await this.ensure();
    if (names.length > 0) await this.editenv(["unset", ...names]);
  }
}

/** The slot operations baseosmgr needs, over either backend. */
export class BootSelector {
  constructor(readonly block: EnvBlock) {}

  async read(): Promise<BootEnv> {
    const vars = await this.block.list();
    const env: BootEnv = { defaultSlot: isSlot(vars.outpost_default) ? vars.outpost_default : "A" };
    if (isSlot(vars.outpost_next)) env.next = vars.outpost_next;
    if (isSlot(vars.outpost_trying)) env.trying = vars.outpost_trying;
    return env;
  }

  /** First use: the slot the node runs now becomes the default; nothing is tried. */
  async init(current: Slot): Promise<void> {
    const vars = await this.block.list();
    if (!isSlot(vars.outpost_default)) await this.block.set({ outpost_default: current });
  }

  /** Boot `slot` once, under test; the default stays, so any boot after that one goes back to it. */
  async tryOnce(slot: Slot): Promise<void> {
    await this.block.set({ outpost_next: slot, outpost_trying: slot });
  }

  /** The slot under test passed: it boots from now on. */
  async commit(slot: Slot): Promise<void> {
    await this.block.set({ outpost_default: slot });
    await this.block.unset(["outpost_next", "outpost_trying"]);
  }

  /** The try is over without a commit: the default slot boots (again). */
  async abandon(): Promise<void> {
    await this.block.unset(["outpost_next", "outpost_trying"]);
  }
}
