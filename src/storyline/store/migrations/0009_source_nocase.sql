-- An outlet is one source whatever the case of its name ("FOX" and "fox"): ingest looks
-- a new spelling up without regard to case, through this index.
CREATE INDEX articles_source_nocase ON articles (source COLLATE NOCASE);
