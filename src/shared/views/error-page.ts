/**
 * The app's error pages (the session core's `errorPage` option, docs/sessions.md "Error pages"):
 * the core's words in the counter page's look, light or dark, from the same stylesheet, since the
 * Content-Security-Policy allows no inline style.
 */
import type { ErrorPageContent } from '../session'
import { escapeHtml } from './html'

export function errorPage({ statusCode, title, message, action }: ErrorPageContent): string {
  const link = action ? `<p class="actions"><a class="action" href="${escapeHtml(action.href)}">${escapeHtml(action.label)}</a></p>\n` : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Architect sessions</title>
<link rel="stylesheet" href="/_static/styles.css">
<link rel="icon" href="/_static/favicon.svg" type="image/svg+xml">
</head>
<body>
<main class="error">
<p class="app-name">Architect sessions · error ${escapeHtml(statusCode)}</p>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
${link}</main>
</body>
</html>
`
}
