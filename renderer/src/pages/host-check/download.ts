/** Saves text as a file through the browser (web console) or the Electron window alike. */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the download a moment to start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const reportJsonName = (hostname: string, startedAt: string): string =>
  `medai-host-check-${hostname.replace(/[^A-Za-z0-9._-]/g, '_')}-${startedAt.replace(/[:.]/g, '-')}.json`;
