@app
arc-sessions-ts

@http
get /
post /count
post /reset

@static
folder public

@tables
sessions
  _idx *String
  _ttl TTL

@aws
runtime typescript
# memory and timeout apply to every function
memory 256
timeout 10

@typescript
base-runtime nodejs24.x
esbuild-config esbuild.config.js
# source maps only where they are read: they cost start-up time on every cold start
sourcemaps staging

@plugins
# @architect/plugin-typescript, with Sandbox builds that live reload waits for (listed first)
typescript
  src src/shared/session/arc/typescript.js
# the session core's plugin: the Sandbox notice, and table names for deployed functions
sessions
  src src/shared/session/arc/plugin.js
