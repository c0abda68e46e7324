/**
 * The counter page: the count as the page's heading, a "Count N" button posting to /count and a
 * "Reset" button posting to /reset. Plain forms, so it works without JavaScript; no inline script
 * or style, so it works under a strict Content-Security-Policy. The icon is a static file of our
 * own, or browsers would ask the API for /favicon.ico on every visit and get an error.
 */
import { MAX_COUNT, type Notice } from '../counter-session'
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
  // At the largest count the button is disabled and the page says why (no count past it is kept).
  const full = count >= MAX_COUNT
  const countButton = full ? '<button type="submit" disabled>Count</button>' : `<button type="submit">Count ${escapeHtml(count + 1)}</button>`
  const fullHtml = full ? '<p class="notice" role="status">The count can go no higher.</p>\n' : ''
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
${noticeHtml}${fullHtml}<div class="actions">
<form method="post" action="/count">${countButton}</form>
<form method="post" action="/reset"><button type="submit" class="secondary">Reset</button></form>
</div>
<p class="note">Your count is kept in your session, not in this page.</p>
</main>
</body>
</html>
`
}
