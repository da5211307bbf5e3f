import type { ExportFile } from '@contract/outputs';

/** Saves an export through the browser's download path (Electron shows its save dialog). */
export function downloadFile(file: Pick<ExportFile, 'fileName' | 'content'> & { mimeType: string }): void {
  const blob = new Blob([file.content], { type: `${file.mimeType};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
