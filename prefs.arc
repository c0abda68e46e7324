# Local Sandbox settings (npm start). Deployed environments are configured with `npx arc env`.
@sandbox
# No per-function package.json to install: handlers are bundled by esbuild.
no-hydrate true
# Live reload injects an inline <script> into every page, which the Content-Security-Policy
# (README, Security) blocks: keep it off so development serves what production serves.
livereload false

@env
testing
  # Session mode: `jwe` keeps the session in an encrypted cookie;
  # `sessions` (the @tables name) keeps it in DynamoDB.
  ARC_SESSION_TABLE_NAME jwe
