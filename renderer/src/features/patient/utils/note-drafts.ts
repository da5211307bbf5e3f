/**
 * Half-typed review notes, kept in this window's memory while the app is locked (the lock screen replaces the
 * views, and with them their state). Never written to disk. Drafts belong to the user who typed them: another user
 * signing in to this window sees none of them, and cannot save them under their own name.
 */
let owner: string | null = null;
const drafts = new Map<string, string>();

const key = (batchId: string, patientId: string) => `${batchId}\u0000${patientId}`;

function claim(username: string): void {
  if (owner === username) return;
  drafts.clear();
  owner = username;
}

export function noteDraft(username: string, batchId: string, patientId: string): string {
  claim(username);
  return drafts.get(key(batchId, patientId)) ?? '';
}

/** Keeps the note as typed; an empty note (cleared, or saved with the review) removes the draft. */
export function keepNoteDraft(username: string, batchId: string, patientId: string, note: string): void {
  claim(username);
  if (note === '') drafts.delete(key(batchId, patientId));
  else drafts.set(key(batchId, patientId), note);
}
