DROP INDEX "listings_price_idx";--> statement-breakpoint
DROP INDEX "listings_place_idx";--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "district" text;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "search_doc" "tsvector";--> statement-breakpoint
CREATE INDEX "listings_search_doc_idx" ON "listings" USING gin ("search_doc");--> statement-breakpoint
CREATE INDEX "listings_soonest_idx" ON "listings" USING btree ((case "status" when 'live' then 0 when 'announced' then 1 when 'suspended' then 2 else 3 end),(case when "status" = 'live' then "current_end_at" when "status" in ('announced', 'suspended') then "starts_at" else '9999-12-31 00:00:00+00'::timestamptz end),"current_end_at" desc,"id");--> statement-breakpoint
CREATE INDEX "listings_starts_id_idx" ON "listings" USING btree ("starts_at","id");--> statement-breakpoint
CREATE INDEX "listings_price_id_idx" ON "listings" USING btree ("starting_price_fen","id");--> statement-breakpoint
CREATE INDEX "listings_ends_id_idx" ON "listings" USING btree ("current_end_at","id");--> statement-breakpoint
CREATE INDEX "listings_place_idx" ON "listings" USING btree ("province","city","district");--> statement-breakpoint
-- Chinese-aware search (ADR 020). Chinese has no spaces between words, so the document holds every
-- CJK bigram of the text (in order, so a longer phrase is matched as adjacent bigrams) followed by
-- every single character (so a one-character query such as 车 is exact too); Latin words and
-- numbers stay whole, lower-cased, full-width ones (ＡＢ１２) folded to ASCII first.
-- server/auctions/search-terms.ts splits a query the same way.
CREATE FUNCTION search_tokens(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  run text;
  c text[];
  bigrams text := '';
  singles text := '';
BEGIN
  IF s IS NULL THEN
    RETURN '';
  END IF;
  FOR run IN
    SELECT m[1] FROM regexp_matches(
      lower(translate(s, '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')),
      '[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]+|[a-z0-9]+', 'g') AS m
  LOOP
    IF run ~ '^[a-z0-9]' THEN
      bigrams := bigrams || ' ' || run;
      CONTINUE;
    END IF;
    c := string_to_array(run, NULL);
    FOR i IN 1 .. array_length(c, 1) - 1 LOOP
      bigrams := bigrams || ' ' || c[i] || c[i + 1];
    END LOOP;
    singles := singles || ' ' || array_to_string(c, ' ');
  END LOOP;
  RETURN bigrams || singles;
END $$;
--> statement-breakpoint
-- The 'simple' configuration keeps each token as it is (no stemming, no stop words).
CREATE FUNCTION listing_search_doc(title text, place text, court text, description text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple', search_tokens(title)), 'A')
    || setweight(to_tsvector('simple', search_tokens(place)), 'B')
    || setweight(to_tsvector('simple', search_tokens(court)), 'B')
    || setweight(to_tsvector('simple', search_tokens(description)), 'C')
$$;
--> statement-breakpoint
-- The listing's document, from the listing's title and place, its court's names and its asset's
-- description and address. Bids and clock changes do not touch these columns and skip the work.
CREATE FUNCTION listings_search_doc() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_doc := listing_search_doc(
    NEW.title,
    concat_ws(' ', NEW.province, NEW.city, NEW.district),
    (SELECT concat_ws(' ', o.name_zh, o.name_en) FROM organisations o WHERE o.id = NEW.court_id),
    (SELECT concat_ws(' ', a.address, a.description) FROM assets a WHERE a.id = NEW.asset_id));
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER listings_search_doc BEFORE INSERT OR UPDATE OF title, province, city, district, court_id, asset_id
  ON listings FOR EACH ROW EXECUTE FUNCTION listings_search_doc();
--> statement-breakpoint
-- An asset's or a court's text changing re-indexes its listings (the update fires the trigger above).
CREATE FUNCTION listings_search_doc_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'assets' THEN
    UPDATE listings SET asset_id = asset_id WHERE asset_id = NEW.id;
  ELSE
    UPDATE listings SET court_id = court_id WHERE court_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER assets_search_doc AFTER UPDATE OF address, description ON assets
  FOR EACH ROW WHEN (OLD.address IS DISTINCT FROM NEW.address OR OLD.description IS DISTINCT FROM NEW.description)
  EXECUTE FUNCTION listings_search_doc_refresh();
--> statement-breakpoint
CREATE TRIGGER organisations_search_doc AFTER UPDATE OF name_zh, name_en ON organisations
  FOR EACH ROW WHEN (OLD.name_zh IS DISTINCT FROM NEW.name_zh OR OLD.name_en IS DISTINCT FROM NEW.name_en)
  EXECUTE FUNCTION listings_search_doc_refresh();
--> statement-breakpoint
-- Existing listings: the district from their asset (which also fires the document trigger).
UPDATE listings l SET district = a.district FROM assets a WHERE a.id = l.asset_id;
