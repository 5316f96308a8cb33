const entities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values, so a name like `<b>Zoë</b>` shows
 * as typed and cannot add markup to an email.
 *
 * @example
 * ```ts
 * escapeHtml('Ada & "Bob" <x>'); // 'Ada &amp; &quot;Bob&quot; &lt;x&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}
