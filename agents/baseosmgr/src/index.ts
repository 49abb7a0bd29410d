export * from "./bootselector.js";
export * from "./slots.js";
