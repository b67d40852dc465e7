import type { LoaderFunctionArgs } from '@remix-run/node';
import { load, plainError, requireAuth } from '../utils/route.server';

/**
 * The bytes of a measure's evidence (a served notice, a report, a search's return): for the staff
 * of the case's court and of the courts above it; anything else is 404.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const { file, bytes } = await load(request, () =>
    context.services.cases.readEvidence(auth.actor, params.fileId ?? ''),
  ).catch(plainError);
  const inline = file.contentType.startsWith('image/') || file.contentType === 'application/pdf';
  const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'Cache-Control': 'private, no-store',
      Vary: 'Cookie',
    },
  });
}
