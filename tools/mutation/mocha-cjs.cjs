// Preloaded (NODE_OPTIONS=--require) by `npm run test:mutation`. Mocha 12 ships its CLI helpers as `.cjs` files
// (lib/cli/run-helpers.cjs, options.cjs, collect-files.cjs), and StrykerJS's mocha runner 10.0.0 requires them
// without an extension, which Node resolves only for the extensions in `require.extensions`. Registering `.cjs`
// there, with the `.js` loader (both are CommonJS), lets the runner find them. Nothing else uses this file.
"use strict";
require.extensions[".cjs"] = require.extensions[".js"];
