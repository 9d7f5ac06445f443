// Preloaded (node --expose-gc --require) into the engine processes the bench starts: SIGUSR2 runs a
// full garbage collection, so a memory reading counts what is held, not garbage not yet collected.
'use strict';
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
});
