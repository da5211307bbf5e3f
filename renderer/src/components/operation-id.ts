/** A fresh id tagging the progress events of one long call (import, export). */
export function newOperationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
