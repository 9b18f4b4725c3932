// Jest transformer: strips TypeScript with esbuild (the bundler the project already uses),
// keeping ES modules as they are. Type checking is `tsc --noEmit`, run by `npm test` first.
const { transformSync } = require('esbuild');

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = transformSync(sourceText, {
      loader: 'ts',
      format: 'esm',
      target: 'node24',
      sourcemap: 'inline',
      sourcefile: sourcePath,
    });
    return { code, map };
  },
};
