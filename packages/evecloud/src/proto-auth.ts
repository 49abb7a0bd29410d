// The envelope subset of the generated EVE API code (types/src/eve/eve-auth.js, build/proto.sh):
// eveAuth.auth (AuthContainer), eveAuth.certs (the controller's certificates), eveAuth.common. What
// signs and checks envelopes imports this, not proto.ts: a process that only uploads (loguploader)
// then never evaluates the full API module, a few MB of every such process's memory. The messages
// are the same on the wire as proto.ts's (same .proto files), in their own protobufjs root.
import "./long-off.js";
import { org } from "@outpost/types/src/eve/eve-auth.js";

export import eveAuth = org.lfedge.eve;
