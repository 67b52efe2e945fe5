/** One file the console serves. */
export interface ConsoleAsset {
  name: string;
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export function contentTypeOf(name: string): string {
  const ext = /\.[a-z]+$/.exec(name)?.[0] ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}

/** The page's policy: only its own script, styles and API; no framing, no inline code. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The single page: everything else is drawn by the script. */
export function pageHtml(script: string, style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>avf console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/${style}">
<script type="module" src="/console/${script}"></script>
</head>
<body>
<div id="app"><p>Loading the avf console…</p></div>
<noscript>The avf console needs JavaScript. The HTTP API is described at <a href="/docs">/docs</a>.</noscript>
</body>
</html>
`;
}
