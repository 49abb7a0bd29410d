export * from "./auth.js";
export * from "./download-resume.js";
export * from "./http-client.js";
export * from "./oci.js";
export * from "./url.js";
