/**
 * jest's TypeScript transform: esbuild strips the types (transpile only, as
 * `isolatedModules` promises; `npm test` runs tsc --noEmit for the types).
 * ts-jest did the same through TypeScript at ~1.5 s of CPU per cold test file;
 * every CI run is a clean clone, so every run was cold.
 */
const { transformSync } = require('esbuild');
const { createHash } = require('node:crypto');
const { version } = require('esbuild/package.json');

// What tsconfig.json says that changes emitted code: ES2022 class fields.
const tsconfigRaw = { compilerOptions: { target: 'ES2022', useDefineForClassFields: true } };

module.exports = {
  getCacheKey(source, path, options) {
    return createHash('sha1').update(`${version}\0${options.supportsStaticESM}\0${path}\0`).update(source).digest('hex');
  },
  process(source, path, options) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: options.supportsStaticESM ? 'esm' : 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: path,
      tsconfigRaw,
    });
    return { code, map };
  },
};
