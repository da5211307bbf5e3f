/**
 * A chunk's patient ids for another thread: one string and each id's length. Copying one string costs the sending
 * thread far less than cloning an array of strings. packIds takes the first n ids; unpackIds gives them back.
 */
export function packIds(ids: readonly string[], n: number): { idsText: string; idLengths: Uint32Array<ArrayBuffer> } {
  const idLengths = new Uint32Array(n);
  for (let i = 0; i < n; i++) idLengths[i] = ids[i].length;
  return { idsText: (ids.length === n ? ids : ids.slice(0, n)).join(''), idLengths };
}

export function unpackIds(idsText: string, idLengths: Uint32Array): string[] {
  const ids = new Array<string>(idLengths.length);
  let at = 0;
  for (let i = 0; i < idLengths.length; i++) {
    const end = at + idLengths[i];
    ids[i] = idsText.slice(at, end);
    at = end;
  }
  if (at !== idsText.length) throw new Error(`the ids hold ${idsText.length} characters, their lengths say ${at}`);
  return ids;
}
