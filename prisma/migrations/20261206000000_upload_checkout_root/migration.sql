-- The checkout root an upload was made from (a CI workspace): absolute file paths under it are
-- stored relative, and a re-parse applies the same root.
ALTER TABLE "test_uploads" ADD COLUMN "root" TEXT;
