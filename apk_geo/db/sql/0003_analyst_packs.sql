-- apk-geo store, migration 0003: analysts read presenter-tier packs only.
--
-- An internal-tier pack shows exact counts and incident points; an analyst may see neither
-- (cells and districts only, see 0002), so the policy that let analysts read every published
-- pack is split: mentors and admins keep reading every tier of their areas, analysts read the
-- presenter tier of their areas, as presenters do.

DROP POLICY packs_read ON apk.published_packs;
CREATE POLICY packs_read ON apk.published_packs FOR SELECT TO {mentor}, {admin}
    USING ((SELECT apk.my_areas()) IS NULL OR area = ANY ((SELECT apk.my_areas())::text[]));
CREATE POLICY packs_analyst ON apk.published_packs FOR SELECT TO {analyst}
    USING (tier = 'presenter'
           AND ((SELECT apk.my_areas()) IS NULL OR area = ANY ((SELECT apk.my_areas())::text[])));
