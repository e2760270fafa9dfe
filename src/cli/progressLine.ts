/**
 * The status line of a slow migration statement: which migration and modification, the
 * statement's first line, PostgreSQL's progress when it reports one, and how long the statement
 * and the run have taken. It must fit the terminal's width (a line that wraps cannot be redrawn
 * in place), so the statement is what gets shortened.
 */
import type { StatementProgress } from '../db/progressWatch.js'
import { progressPercent, type ServerProgress } from '../db/serverProgress.js'

/** `8 s`, `1m05s`, `2h03m`: whole seconds, since the line is redrawn about once a second */
export const formatElapsed = (ms: number): string => {
	const seconds = Math.max(0, Math.floor(ms / 1000))
	if (seconds < 60) return `${seconds} s`
	const two = (n: number) => String(n).padStart(2, '0')
	if (seconds < 3600) return `${Math.floor(seconds / 60)}m${two(seconds % 60)}s`
	return `${Math.floor(seconds / 3600)}h${two(Math.floor(seconds / 60) % 60)}m`
}

/** `building index: scanning table 45%`, `VACUUM FULL: writing new heap, 120000 tuples`: only what PostgreSQL reported */
export const describeServerProgress = (progress: ServerProgress): string => {
	const percent = progressPercent(progress)
	const parts = [progress.view === 'cluster' ? `${progress.command}: ${progress.phase}` : progress.phase]
	if (percent !== null) parts[0] += ` ${percent}%`
	else if (progress.view === 'cluster' && progress.tuplesDone !== null && progress.tuplesDone > 0) parts.push(`${progress.tuplesDone} tuples`)
	if (progress.partitionsTotal !== null && progress.partitionsTotal > 0) parts.push(`partition ${(progress.partitionsDone ?? 0) + 1} of ${progress.partitionsTotal}`)
	return parts.join(', ')
}

/** the statement's first line, on one line and without control characters (an identifier may hold anything) */
export const statementFirstLine = (sql: string): string => {
	const lines = sql.trim().split('\n')
	const first = lines[0]!.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim()
	return lines.length > 1 ? `${first} …` : first
}

const shorten = (text: string, width: number): string =>
	text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1)).trimEnd()}…`

/** below this many characters for the statement, it is left out rather than cut to nothing */
const MIN_STATEMENT_CHARS = 12

/**
 * `2024-05-02-100000-fill #0 createColumn: UPDATE "big" SET "label" = … · 12 s (run 14 s)`, at
 * most `width` characters; with PostgreSQL's progress before the times.
 */
export const progressLine = (progress: StatementProgress, width: number): string => {
	const head = `${progress.migration} #${progress.modificationIndex} ${progress.modificationId}: `
	const server = progress.server ? ` · ${describeServerProgress(progress.server)}` : ''
	const tail = `${server} · ${formatElapsed(progress.statementMs)} (run ${formatElapsed(progress.runMs)})`
	const room = width - head.length - tail.length
	if (room >= MIN_STATEMENT_CHARS) return head + shorten(statementFirstLine(progress.sql), room) + tail
	// a narrow terminal: the modification and the times matter more than the migration's name
	return shorten(`#${progress.modificationIndex} ${progress.modificationId}${tail}`, width)
}
