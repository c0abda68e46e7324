# Local Sandbox settings (npm start). Deployed environments are configured with `npx arc env`.
@sandbox
# No per-function package.json to install: handlers are bundled by esbuild.
no-hydrate true

# Keep comments out of the indented block below: Architect's parser ends the block at a comment.
# ARC_SESSION_TABLE_NAME: `sessions` (the @tables name) keeps sessions in the Sandbox's local
# DynamoDB; `jwe` keeps each session in an encrypted cookie.
@env
testing
  ARC_SESSION_TABLE_NAME sessions
