import type { LoaderFunctionArgs } from '@remix-run/node';
import { load, plainError } from '../utils/route.server';

/**
 * The bytes of an uploaded photo or document. Who may read it is the service's decision
 * (public once the listing is published, otherwise the court's own staff); anything else is 404.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const fileId = params.fileId ?? '';
  const { file, bytes } = await load(request, () =>
    context.services.cases.readFile(context.auth?.actor ?? null, fileId),
  ).catch(plainError);
  const inline = file.contentType.startsWith('image/') || file.contentType === 'application/pdf';
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      // X-Content-Type-Options: nosniff comes from helmet on every response (server/http/app.ts);
      // set here too it would be sent twice, as "nosniff, nosniff".
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; ${filenameParams(file.filename)}`,
      // The service does not say whether this file was public or staff-only: cache privately.
      'Cache-Control': 'private, max-age=300',
      Vary: 'Cookie',
    },
  });
}

/** RFC 6266 / 8187: an ASCII fallback and the exact UTF-8 name. */
function filenameParams(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
