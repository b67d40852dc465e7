/** A generated document as its PDF: what a service's read of a ruling, a plan or a receipt returns. */
export interface PdfFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * The PDF answer of a document route: shown in the browser (`inline`) under its name (RFC 6266:
 * an ASCII fallback and the UTF-8 name), never kept by a shared cache (personal data).
 */
export function pdfResponse(file: PdfFile, headers: Record<string, string> = {}) {
  const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(file.filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Content-Disposition': `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`,
      'Cache-Control': 'private, no-store',
      ...headers,
    },
  });
}
