import type { LoaderFunctionArgs } from '@remix-run/node';
import { load, plainError, requireAuth } from '../utils/route.server';

/**
 * A distribution plan as its PDF: for the staff of its court and for the parties it was served
 * on (the service decides); anyone else is answered 404. Personal data: never cached by shared caches.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const file = await load(request, () =>
    context.services.funds.readPlanDocument(auth.actor, params.planId ?? ''),
  ).catch(plainError);
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
    },
  });
}
