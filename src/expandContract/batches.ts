/**
 * The backfills of an expand migration (a new column's fill value, a renamed column's copy, a
 * type change's conversion) in batches: one PL/pgSQL block, run alone outside the migration's
 * transaction (a `transactional: false` SQL step), that walks the table in primary-key order and
 * commits each batch. No long transaction holds row locks or bloats the table; the trigger the
 * expand installed keeps rows written meanwhile right; a killed run repeats the block, which only
 * touches rows still to do. Walking the key, not "the next rows still NULL", ends even when a
 * conversion leaves a value NULL.
 */
import { q } from './names.js'

/** rows per batch: small enough for short row locks, large enough to finish a big table quickly */
export const BACKFILL_BATCH_ROWS = 5000

export interface Backfill {
	readonly table: string
	/** the primary key column: the batches walk it */
	readonly primaryKey: string
	/** `"col" = <expression>` */
	readonly set: string
	/** which rows still need it */
	readonly where: string
}

export const batchedBackfillSql = ({ table, primaryKey, set, where }: Backfill): string => {
	const [t, key] = [q(table), q(primaryKey)]
	return `DO $strata_backfill$
DECLARE
	done_upto ${t}.${key}%TYPE;
	batch_end ${t}.${key}%TYPE;
BEGIN
	LOOP
		-- the last key of the next batch (not max(): uuid has no max); no row left leaves it NULL
		SELECT batch.key INTO batch_end FROM (SELECT ${key} AS key FROM ${t} WHERE done_upto IS NULL OR ${key} > done_upto ORDER BY ${key} LIMIT ${BACKFILL_BATCH_ROWS}) AS batch ORDER BY batch.key DESC LIMIT 1;
		EXIT WHEN batch_end IS NULL;
		UPDATE ${t} SET ${set} WHERE (done_upto IS NULL OR ${key} > done_upto) AND ${key} <= batch_end AND (${where});
		done_upto := batch_end;
		COMMIT;
	END LOOP;
END
$strata_backfill$`
}
