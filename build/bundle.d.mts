// Types for the parts of build/bundle.mjs that tests import.
import type { BuildOptions } from "esbuild";

export const ROOT: string;
export const DIST: string;
export const ENTRY: string;
export const EXTERNALS: string[];
export function version(): string;
export function bundleOptions(options?: { entry?: string; outfile?: string }): BuildOptions;
export function programNames(): Promise<string[]>;
