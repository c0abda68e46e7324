/**
 * The counter page: the count as the page's heading, a "Count N" button posting to /count and a
 * "Reset" button posting to /reset. Plain forms, so it works without JavaScript; no inline script
 * or style, so it works under a strict Content-Security-Policy. The icon is a static file of our
 * own, or browsers would ask the API for /favicon.ico on every visit and get an error.
 */
import type { Notice } from '../counter-session'
import { escapeHtml } from './html'

export interface CounterPageProps {
  readonly count: number
  /** A one-time notice to show above the buttons. */
  readonly notice?: Notice | undefined
}

/**
 * What reset did, true in both session modes (docs/sessions.md#what-reset-does): the old DynamoDB
 * session is deleted, but an old encrypted cookie cannot be recalled.
 */
const NOTICE_TEXT: Readonly<Record<Notice, string>> = {
  reset:
    'Your count was reset in a new session. With DynamoDB sessions the old one was deleted; with cookie sessions a copy of the old cookie still reads until it expires.',
}

export function counterPage({ count, notice }: CounterPageProps): string {
  const shown = escapeHtml(count)
  const next = escapeHtml(count + 1)
  // role="status": a polite live region, so the notice is read out after the heading.
  const noticeHtml = notice === undefined ? '' : `<p class="notice" role="status">${escapeHtml(NOTICE_TEXT[notice])}</p>\n`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Count ${shown} · Architect sessions</title>
<link rel="stylesheet" href="/_static/styles.css">
<link rel="icon" href="/_static/favicon.svg" type="image/svg+xml">
</head>
<body>
<main>
<p class="app-name">Architect sessions</p>
<h1 class="count">The count is <strong id="count">${shown}</strong></h1>
${noticeHtml}<div class="actions">
<form method="post" action="/count"><button type="submit">Count ${next}</button></form>
<form method="post" action="/reset"><button type="submit" class="secondary">Reset</button></form>
</div>
<p class="note">Your count is kept in your session, not in this page.</p>
</main>
</body>
</html>
`
}
