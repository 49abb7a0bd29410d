// The API's description, served at GET /v1/openapi.json (OpenAPI 3.0). Kept beside the routes in
// api.ts; test/api.process.test.ts checks that every path here answers.
const json = (schema: object) => ({ "application/json": { schema } });
const error = {
  description: "bad input or refused: {error, field?}",
  content: json({ $ref: "#/components/schemas/Error" }),
};
const ok = (description: string, schema: object = { type: "object" }) => ({
  description,
  content: json(schema),
});
const service = { name: "name", in: "path", required: true, schema: { type: "string" } };
const op = {
  name: "op",
  in: "path",
  required: true,
  schema: { type: "string", enum: ["start", "stop", "restart"] },
};

export const OPENAPI = {
  openapi: "3.0.3",
  info: {
    title: "Outpost local API",
    version: "1",
    description:
      "Steers one Outpost node from the device itself: status, services (agents, app instances, " +
      "declared external services), metrics, logs, config items, reboot. Unix socket run/localapi/api.sock " +
      "(0660, group --group); optionally loopback TCP with a bearer token.",
  },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: { error: { type: "string" }, field: { type: "string" } },
      },
      Service: {
        type: "object",
        properties: {
          name: { type: "string" },
          kind: { type: "string", enum: ["agent", "app", "external"] },
          state: { type: "string" },
          health: { type: "string", enum: ["healthy", "unhealthy", "stopped", "unknown"] },
          detail: { type: "string" },
        },
      },
      OpResult: {
        type: "object",
        properties: {
          name: { type: "string" },
          op: { type: "string" },
          status: { type: "integer" },
          result: { type: "string", enum: ["done", "pending", "error"] },
          state: { type: "string" },
          error: { type: "string" },
        },
      },
    },
  },
  security: [{}, { bearer: [] }],
  paths: {
    "/v1/openapi.json": { get: { summary: "this document", responses: { 200: ok("OpenAPI 3.0") } } },
    "/v1/status": {
      get: {
        summary: "identity, onboarding, controller link, config, apps, downloads, base OS, restarts, disk",
        responses: { 200: ok("the node's status") },
      },
    },
    "/v1/services": {
      get: {
        summary: "every agent, app instance and external service with state and health",
        responses: {
          200: ok("services", {
            type: "object",
            properties: { services: { type: "array", items: { $ref: "#/components/schemas/Service" } } },
          }),
        },
      },
    },
    "/v1/services/{op}": {
      post: {
        summary: "one operation on several services: one result each (207 Multi-Status)",
        parameters: [op],
        requestBody: {
          content: json({
            type: "object",
            required: ["services"],
            properties: { services: { type: "array", items: { type: "string" } } },
          }),
        },
        responses: {
          207: ok("one result per service", {
            type: "object",
            properties: { results: { type: "array", items: { $ref: "#/components/schemas/OpResult" } } },
          }),
          400: error,
        },
      },
    },
    "/v1/services/{name}/{op}": {
      post: {
        summary: "start, stop or restart one service (agents through the watchdog, apps through zedmanager)",
        parameters: [service, op],
        responses: {
          200: ok("done", { $ref: "#/components/schemas/OpResult" }),
          202: ok("accepted, not finished within the wait", { $ref: "#/components/schemas/OpResult" }),
          404: error,
          409: error,
        },
      },
    },
    "/v1/metrics": {
      get: {
        summary: "CPU (cumulative s, recent %) and memory (RSS, PSS) per agent and app; device totals",
        parameters: [{ name: "service", in: "query", required: false, schema: { type: "string" } }],
        responses: { 200: ok("metrics"), 404: error },
      },
    },
    "/v1/logs": {
      get: {
        summary:
          "an agent's or app container's recent log lines; with follow=1 a server-sent event stream of new ones",
        parameters: [
          { name: "service", in: "query", required: true, schema: { type: "string" } },
          { name: "lines", in: "query", required: false, schema: { type: "integer", default: 100 } },
          { name: "follow", in: "query", required: false, schema: { type: "string", enum: ["0", "1"] } },
        ],
        responses: {
          200: {
            description: "lines (JSON) or text/event-stream",
            content: { "application/json": {}, "text/event-stream": {} },
          },
          400: error,
          404: error,
        },
      },
    },
    "/v1/config-items": {
      get: {
        summary: "the config items in force (zedagent's ConfigItemValueMap)",
        responses: { 200: ok("items") },
      },
      put: {
        summary: "set local overrides of allow-listed items",
        requestBody: { content: json({ type: "object", additionalProperties: { type: "string" } }) },
        responses: {
          200: ok("in force (zedagent shows them)"),
          202: ok("recorded, not in force yet"),
          400: error,
          403: error,
        },
      },
    },
    "/v1/reboot": {
      post: {
        summary: "reboot the device through nodeagent (apps halted first)",
        requestBody: { content: json({ type: "object", properties: { reason: { type: "string" } } }) },
        responses: { 202: ok("requested"), 400: error, 503: error },
      },
    },
  },
} as const;
