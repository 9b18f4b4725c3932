/**
 * How every handler is bundled, in AWS (CDK NodejsFunction) and locally (npm start, bench): one ESM
 * file per function, minified, with source maps. The AWS SDK is bundled rather than taken from the
 * runtime, so the deployed code is the code that was tested (see the bench figures).
 */
export const HANDLER_BUNDLING = {
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  // Some dependencies still call require(): give ESM bundles one.
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
} as const;
