// 64-bit protobuf fields as plain numbers, in tests and in the bundle alike. protobufjs uses the
// `long` package when it can require it (it can in the repo, not in dist/), which would make the same
// field a Long object in one and a number in the other. Must run before the generated code is
// evaluated (its defaults are computed at load), so proto.ts imports this module first.
import protobuf from "protobufjs/minimal.js";

protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();
