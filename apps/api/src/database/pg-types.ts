import { types } from 'pg';

const INT8 = 20;
const INT8_ARRAY = 1016;
const INT4_ARRAY = 1007 as Parameters<typeof types.getTypeParser>[0];

/**
 * `pg` returns bigint as a string to avoid precision loss; our ids and counts stay far below 2^53, and GitLab's API
 * returns them as JSON numbers, so they are parsed as numbers for every query (entities and raw SQL alike).
 */
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === INT8_ARRAY) return types.getTypeParser(INT4_ARRAY, format as 'text');
    return types.getTypeParser(oid, format as 'text');
  },
};
