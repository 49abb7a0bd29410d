// Entry point of the test bundle dist-test/outpost (`node build/bundle.mjs --test`): the shipped
// programs plus the test-only ones. Never packaged.
import { registry } from "./registry.js";
import { start } from "./start.js";
import { testPrograms } from "./test-programs.js";

start([...registry, ...testPrograms]);
