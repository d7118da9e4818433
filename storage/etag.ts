/**
 * The eTag a state row gets when written: a counter, one more than the row's (SQL, so the check and the new eTag
 * are one statement), starting at a random point for a new row so that a conversation deleted and made again does
 * not repeat the eTags of its earlier life. Rows written before eTags were counters (UUIDs) start a new count.
 */
export const NEXT_ETAG_SQL = {
  sqlite: {
    first: "CAST(abs(random()) % 1000000000000 AS TEXT)",
    after: (column: string) => `CASE WHEN length(${column}) BETWEEN 1 AND 15 AND ${column} NOT GLOB '*[^0-9]*' THEN CAST(CAST(${column} AS INTEGER) + 1 AS TEXT) ELSE CAST(abs(random()) % 1000000000000 AS TEXT) END`,
  },
  postgres: {
    first: 'floor(random() * 1e12)::bigint::text',
    after: (column: string) => `CASE WHEN ${column} ~ '^[0-9]{1,15}$' THEN (${column}::bigint + 1)::text ELSE floor(random() * 1e12)::bigint::text END`,
  },
};
