/** "5000 of 10600 listed" when the list was capped, so the tab and the total never seem to disagree. */
export function listedText(listed: number, total: number): string {
  return listed < total ? `${listed} of ${total} listed` : String(listed);
}
