/**
 * What PostgreSQL itself reports about a long statement: `pg_stat_progress_create_index` for
 * CREATE INDEX (also CONCURRENTLY, and REINDEX) and `pg_stat_progress_cluster` for CLUSTER and
 * VACUUM FULL. Other statements (an UPDATE, an ALTER TABLE that rewrites the table) have no
 * progress view, and nothing here pretends they do.
 *
 * A percentage is given only for a phase whose counters PostgreSQL documents as done/total of
 * that phase: the scans count blocks, loading a B-tree counts tuples. Sorting and waiting phases
 * have no total, so they are shown by name only.
 */
import type pg from 'pg'

export interface ServerProgress {
	/** which view reported it */
	readonly view: 'create_index' | 'cluster'
	/** PostgreSQL's `command`: `CREATE INDEX`, `CREATE INDEX CONCURRENTLY`, `REINDEX`, `CLUSTER`, `VACUUM FULL` */
	readonly command: string
	/** PostgreSQL's `phase`, e.g. `building index: scanning table` */
	readonly phase: string
	readonly blocksDone: number | null
	readonly blocksTotal: number | null
	readonly tuplesDone: number | null
	readonly tuplesTotal: number | null
	/** a partitioned table's index is built partition by partition */
	readonly partitionsDone: number | null
	readonly partitionsTotal: number | null
}

/** the counters of `phase` that mean done/total, if it has any */
const phaseCounters = (progress: ServerProgress): readonly [number | null, number | null] | undefined => {
	if (progress.view === 'create_index') {
		// "building index: scanning table", "index validation: scanning index", "index validation: scanning table"
		if (progress.phase.includes('scanning')) return [progress.blocksDone, progress.blocksTotal]
		// "building index: loading tuples in tree"
		if (progress.phase.includes('loading tuples')) return [progress.tuplesDone, progress.tuplesTotal]
		return undefined
	}
	// cluster: only the sequential scan has a total; tuples written or scanned through an index have none
	return progress.phase === 'seq scanning heap' ? [progress.blocksDone, progress.blocksTotal] : undefined
}

/** the phase's completion in whole percent, or null when PostgreSQL gives no total for it */
export const progressPercent = (progress: ServerProgress): number | null => {
	const counters = phaseCounters(progress)
	if (!counters) return null
	const [done, total] = counters
	if (done === null || total === null || total <= 0) return null
	return Math.max(0, Math.min(100, Math.floor((done / total) * 100)))
}

interface ProgressRow {
	readonly view: 'create_index' | 'cluster'
	readonly command: string
	readonly phase: string
	readonly blocks_done: number | null
	readonly blocks_total: number | null
	readonly tuples_done: number | null
	readonly tuples_total: number | null
	readonly partitions_done: number | null
	readonly partitions_total: number | null
}

/** both views exist since PostgreSQL 12; the counters are bigint, read as float8 so pg hands back numbers */
const PROGRESS_SQL = `
	SELECT 'create_index' AS view, command, phase,
		blocks_done::float8, blocks_total::float8, tuples_done::float8, tuples_total::float8,
		partitions_done::float8, partitions_total::float8
	FROM pg_stat_progress_create_index WHERE pid = $1
	UNION ALL
	SELECT 'cluster', command, phase,
		heap_blks_scanned::float8, heap_blks_total::float8,
		(CASE WHEN phase = 'writing new heap' THEN heap_tuples_written ELSE heap_tuples_scanned END)::float8, NULL,
		NULL, NULL
	FROM pg_stat_progress_cluster WHERE pid = $1
	LIMIT 1`

/** what the progress views say about backend `pid` now; undefined when it runs nothing they report */
export const readServerProgress = async (client: pg.Client, pid: number): Promise<ServerProgress | undefined> => {
	const row = (await client.query<ProgressRow>(PROGRESS_SQL, [pid])).rows[0]
	if (!row) return undefined
	return {
		view: row.view, command: row.command, phase: row.phase,
		blocksDone: row.blocks_done, blocksTotal: row.blocks_total, tuplesDone: row.tuples_done, tuplesTotal: row.tuples_total,
		partitionsDone: row.partitions_done, partitionsTotal: row.partitions_total,
	}
}
