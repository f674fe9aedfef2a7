/**
 * Hands a Blob to the browser as a download named `filename` (downloads go through fetch, since the
 * token is a header, not a cookie). Returns the object URL, for the caller to revoke once it is done.
 */
export function saveBlob(blob: Blob, filename: string): string {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  return url;
}
