# Local Sandbox settings (npm start). Deployed environments are configured with `npx arc env`.
@sandbox
# No per-function package.json to install: handlers are bundled by esbuild.
no-hydrate true
# Live reload injects an inline <script> into every page, which the Content-Security-Policy
# (README, Security) blocks: keep it off so development serves what production serves.
livereload false

# Keep comments out of the indented block below: Architect's parser ends the block at a comment.
# ARC_SESSION_TABLE_NAME: `sessions` (the @tables name) keeps sessions in the Sandbox's local
# DynamoDB; `jwe` keeps each session in an encrypted cookie.
# AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: the AWS SDK warns once per process that its
# 2027 releases need Node 22. Deployed functions run nodejs22.x (app.arc), and the Sandbox starts
# a process per request, so the warning would fill the terminal.
@env
testing
  ARC_SESSION_TABLE_NAME sessions
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED true
