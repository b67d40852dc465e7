/**
 * The links of a keyset-paged list (`?before=<cursor>`): the next page, from the cursor the service
 * returned, and back to the first page when this one is not it. Every other filter in the address
 * stays as it is.
 */
type Cursor = string | number | null | undefined;

export function keysetLinks(url: URL, next: Cursor, before: Cursor) {
  const href = (cursor: Cursor) => {
    const q = new URLSearchParams(url.search);
    if (cursor) q.set('before', String(cursor));
    else q.delete('before');
    return `${url.pathname}?${q}`;
  };
  return { nextHref: next ? href(next) : null, firstHref: before ? href(null) : null };
}
