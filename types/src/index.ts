export * as t from "./codec.js";
export { type Codec, DecodeError, type Infer, decodeJson } from "./codec.js";
export * from "./swstate.js";
export * from "./led.js";
export * from "./watchdog.js";
