// The generated EVE API code (types/src/eve, from types/proto by build/proto.sh), under its EVE
// package names: eve.config.EdgeDevConfig, eve.auth.AuthContainer, ... Loaded only by processes that
// talk to a controller: it is a large module, so @outpost/types does not re-export it.
import "./long-off.js";
import { org } from "@outpost/types/src/eve/eve.js";

export import eve = org.lfedge.eve;
