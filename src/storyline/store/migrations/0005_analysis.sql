-- What happened (issue 6): sentence embeddings kept for source comparisons and briefs.
-- A sentence is embedded once, the first time an event it belongs to is compared; a
-- reprinted sentence (same normalised words) shares its row.
CREATE TABLE analysis_vectors (
    key     TEXT NOT NULL,        -- blake2b of the sentence's normalised words
    model   TEXT NOT NULL,        -- the embedder's name
    vector  BLOB NOT NULL,        -- float16, L2-normalised
    PRIMARY KEY (key, model)
) WITHOUT ROWID;
