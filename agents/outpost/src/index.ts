export { dispatch, EXIT_USAGE, helpText, type Invocation, resolveInvocation } from "./dispatch.js";
export { findProgram, type ProgramModule, type RegistryEntry, type RunFn, registry } from "./registry.js";
export { testPrograms } from "./test-programs.js";
