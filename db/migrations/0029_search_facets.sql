-- The facet document (ADR 020, at a million listings): one lexeme per value a search filter
-- chooses (s:status, o:outcome, t:asset type, p:province, c:city, d:district, j:court id,
-- r:round with 3 for a fixed-price sale, x:purchase restricted 1/0). It is the second column of
-- one GIN index with the words' document, so a search's keywords and filters are intersected
-- inside one index scan instead of by ANDing a bitmap of each. An expression, not a column: the
-- row does not grow, and a status changing updates the index as any indexed column does.
-- server/auctions/listing-search.ts writes the same lexemes (conditions()).
CREATE FUNCTION listing_facets(status listing_status, outcome listing_outcome, asset_type asset_type,
  province text, city text, district text, court_id uuid, kind listing_kind, round integer, restricted boolean)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array_remove(array[
    's:' || status::text, 'o:' || outcome::text, 't:' || asset_type::text, 'p:' || province, 'c:' || city,
    'd:' || district, 'j:' || court_id::text,
    'r:' || CASE WHEN kind = 'fixed_price_sale' THEN 3 ELSE round END, 'x:' || restricted::int], NULL))
$$;
--> statement-breakpoint
DROP INDEX "listings_search_doc_idx";--> statement-breakpoint
CREATE INDEX "listings_search_idx" ON "listings" USING gin ("search_doc",listing_facets("status", "outcome", "asset_type", "province", "city", "district", "court_id", "kind", "round", "purchase_restricted"));
