// SQL files are imported as their text (esbuild's text loader in build/bundle.mjs, a transform in
// vitest.config.ts).
declare module "*.sql" {
  const text: string;
  export default text;
}
