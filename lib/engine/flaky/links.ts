/**
 * Links people attach to tickets are rendered as anchors: only http(s) may be one. A
 * `javascript:` or `data:` URL would run in the reader's browser when clicked.
 * Input: any string. Output: true when the URL parses and its scheme is http or https.
 */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
