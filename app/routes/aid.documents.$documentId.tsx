import type { LoaderFunctionArgs } from '@remix-run/node';
import { isDomainError } from '../../server/errors';
import { requireAuth } from '../utils/route.server';

/**
 * The bytes of an aid claim's document, for whoever may see the claim (the service decides);
 * anything else is 404. Never cached by shared caches: these are personal documents.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  try {
    const { file, bytes } = await context.services.aid.claims.readDocument(
      auth.actor,
      params.documentId ?? '',
    );
    const inline = file.contentType.startsWith('image/') || file.contentType === 'application/pdf';
    const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    return new Response(new Uint8Array(bytes), {
      headers: {
        'Content-Type': file.contentType,
        'Content-Length': String(file.size),
        'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (e) {
    if (isDomainError(e) && (e.code === 'not_found' || e.code === 'forbidden'))
      throw new Response('Not Found', {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    throw e;
  }
}
