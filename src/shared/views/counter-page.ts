/**
 * The counter page: the count, a "Count N" button posting to /count and a "Reset" button posting
 * to /reset. Plain forms, so it works without JavaScript.
 */
import { escapeHtml } from './html'

export interface CounterPageProps {
  readonly count: number
}

export function counterPage({ count }: CounterPageProps): string {
  const shown = escapeHtml(count)
  const next = escapeHtml(count + 1)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Count ${shown} · Architect sessions</title>
<link rel="stylesheet" href="/_static/styles.css">
</head>
<body>
<main>
<h1>Architect sessions</h1>
<p class="count" aria-live="polite">The count is <strong id="count">${shown}</strong>.</p>
<div class="actions">
<form method="post" action="/count"><button type="submit">Count ${next}</button></form>
<form method="post" action="/reset"><button type="submit" class="secondary">Reset</button></form>
</div>
<p class="note">Your count is kept in your session, not in this page.</p>
</main>
</body>
</html>
`
}
