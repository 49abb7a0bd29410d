// Entry point of the shipped bundle dist/outpost. Kept free of static imports of any agent so that a
// process evaluates only the program it was started as (see registry.ts).
import { registry } from "./registry.js";
import { start } from "./start.js";

start(registry);
