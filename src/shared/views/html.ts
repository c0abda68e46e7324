/**
 * Escaping for HTML text and attribute values (OWASP XSS prevention, rule 1 and 2): the five
 * characters that can end a text node or a quoted attribute become character references.
 */
const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => REFERENCES[c] ?? c)
}
