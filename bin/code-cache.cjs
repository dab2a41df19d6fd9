/**
 * Loads a CommonJS bundle (dist/src/cli/cold*.cjs) through V8's code cache: the
 * bytecode of every function a warm-up run compiled, saved next to it as
 * `<bundle>.cache` by scripts/bundle-cli.mjs. Node 20's require() has no
 * compile cache, and compiling the ~700 KB bundle and then each function on
 * first call is most of what `tierdown validate` costs past Node's own start.
 *
 * V8 checks the cache against its version and flags, but against the source
 * only by length, so the cache carries the build id from the bundle's first
 * line: a cache from another build is not offered at all. A cache V8 rejects
 * (another Node) only costs the compile it would have saved.
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** The build id line the bundle starts with (`// tierdown-build <id>`), or ''. */
function buildIdOf(source) {
  const end = source.indexOf('\n');
  return source.startsWith('// tierdown-build ') && end > 0 ? source.slice(0, end) : '';
}

/** The cache's V8 data when it was made from this build of the bundle. */
function cachedDataFor(cacheFile, buildId) {
  let cache;
  try {
    cache = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const header = Buffer.from(`${buildId}\n`);
  return buildId && cache.subarray(0, header.length).equals(header) ? cache.subarray(header.length) : undefined;
}

/**
 * Runs `bundle` as a CommonJS module, with its code cache when the cache matches.
 * `saveCache()` writes the cache from what has been compiled so far (the build's warm-up).
 */
function loadWithCodeCache(bundle) {
  const file = path.resolve(bundle);
  const source = readFileSync(file, 'utf8');
  const buildId = buildIdOf(source);
  const cacheFile = `${file}.cache`;
  const cachedData = cachedDataFor(cacheFile, buildId);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    /** Whether V8 took the cache (for tests; a miss is only slower). */
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    saveCache: () => writeFileSync(cacheFile, Buffer.concat([Buffer.from(`${buildId}\n`), script.createCachedData()])),
  };
}

module.exports = { loadWithCodeCache };
