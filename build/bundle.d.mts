// Types for the parts of build/bundle.mjs that tests import.
import type { BuildOptions, BuildResult } from "esbuild";

export const ROOT: string;
export const DIST: string;
export const ENTRY: string;
export const EXTERNALS: string[];
export function version(): string;
export const LIB: string;
/** The lib/ file names of the last build of distDir (its meta.json). */
export function currentLibFiles(distDir?: string): Set<string>;
export function bundleOptions(options?: { entry?: string; outdir?: string }): BuildOptions;
/** Writes a `write: false` build into distDir (lib/, launcher, package.json); the lib/ file names. */
export function writeBundle(result: BuildResult, distDir: string): string[];
export function programNames(): Promise<string[]>;
