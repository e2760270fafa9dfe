/**
 * `migrations/snapshot.json`: the collapsed modifications that rebuild the schema at a given
 * version, plus the checksum of every migration file they stand for.
 *
 * A snapshot is only ever used when it is fresh: every covered file still exists with the same
 * checksum and no file at or below the snapshot's version is missing from `covers`. Anything else
 * makes it stale; callers report the reasons and fall back to the files (never use it silently).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { diffSchemas } from '../diff/diffSchemas.js'
import { StrataError, ValidationError, type Problem } from '../errors.js'
import { applyModifications } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { schemaDifferences } from '../schema/compare.js'
import { emptySchema, type Schema } from '../schema/model.js'
import type { MigrationFile } from './files.js'
import { replay } from './replay.js'

export const SNAPSHOT_FILE_NAME = 'snapshot.json'

export interface SnapshotCover {
	readonly version: string
	readonly name: string
	readonly checksum: string
}

export interface Snapshot {
	/** version of the newest covered migration */
	readonly version: string
	readonly formatVersion: number
	readonly modifications: readonly Modification[]
	readonly covers: readonly SnapshotCover[]
}

export const snapshotPath = (migrationsDir: string): string => join(migrationsDir, SNAPSHOT_FILE_NAME)

/** Collapses every file into one modification list (a diff from the empty schema). */
export const createSnapshot = (files: readonly MigrationFile[]): Snapshot => {
	if (files.length === 0) {
		throw new StrataError('NO_MIGRATIONS', 'There are no migration files to snapshot.')
	}
	const schema = replay([...files])
	// the differ checks its own round trip, so the collapsed list provably rebuilds `schema`
	const { modifications } = diffSchemas(emptySchema, schema)
	return {
		version: files[files.length - 1]!.version,
		formatVersion: FORMAT_VERSION_LATEST,
		modifications,
		covers: files.map(file => ({ version: file.version, name: file.name, checksum: file.checksum })),
	}
}

/** Tab-indented like migration files, `modification` first in each object, trailing newline. */
export const serializeSnapshot = (snapshot: Snapshot): string => {
	const modifications = snapshot.modifications.map(({ modification, ...data }) => ({ modification, ...data }))
	const ordered = {
		version: snapshot.version,
		formatVersion: snapshot.formatVersion,
		modifications,
		covers: snapshot.covers.map(({ version, name, checksum }) => ({ version, name, checksum })),
	}
	return `${JSON.stringify(ordered, null, '\t')}\n`
}

/** Atomic: a reader sees the old snapshot or the new one, never half a file. */
export const writeSnapshot = async (migrationsDir: string, snapshot: Snapshot): Promise<string> => {
	const path = snapshotPath(migrationsDir)
	const temp = `${path}.${process.pid}.tmp`
	try {
		await writeFile(temp, serializeSnapshot(snapshot), { flag: 'wx' })
		await rename(temp, path)
	} catch (error) {
		await rm(temp, { force: true })
		throw error
	}
	return path
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value)

/** Parses and checks the shape; problems name the JSON path. */
export const parseSnapshot = (text: string, label = SNAPSHOT_FILE_NAME): Snapshot => {
	let data: unknown
	try {
		data = JSON.parse(text)
	} catch (error) {
		throw new ValidationError(`${label} is not valid JSON`, [{ file: label, path: '', message: (error as Error).message }])
	}
	const problems: Problem[] = []
	const problem = (path: string, message: string) => problems.push({ file: label, path, message })
	if (!isRecord(data)) {
		problem('', 'expected an object')
	} else {
		if (typeof data.version !== 'string' || !/^\d{4}-\d{2}-\d{2}-\d{6}$/.test(data.version)) problem('/version', 'expected a version like 2024-01-31-120000')
		if (!Number.isInteger(data.formatVersion)) problem('/formatVersion', 'expected an integer')
		if (!Array.isArray(data.modifications)) problem('/modifications', 'expected an array')
		else data.modifications.forEach((it, i) => {
			if (!isRecord(it) || typeof it.modification !== 'string') problem(`/modifications/${i}`, 'expected an object with a "modification" id')
		})
		if (!Array.isArray(data.covers)) problem('/covers', 'expected an array')
		else data.covers.forEach((it, i) => {
			if (!isRecord(it) || typeof it.version !== 'string' || typeof it.name !== 'string' || typeof it.checksum !== 'string') {
				problem(`/covers/${i}`, 'expected { version, name, checksum } strings')
			}
		})
	}
	if (problems.length > 0) throw new ValidationError(`${label} is malformed`, problems, 'INVALID_SNAPSHOT')
	return data as unknown as Snapshot
}

/** The snapshot in `migrationsDir`, or undefined when there is none. */
export const readSnapshot = async (migrationsDir: string): Promise<Snapshot | undefined> => {
	let text: string
	try {
		text = await readFile(snapshotPath(migrationsDir), 'utf8')
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
		throw error
	}
	return parseSnapshot(text, snapshotPath(migrationsDir))
}

/**
 * Why the snapshot cannot be used; empty when it is fresh. Rules: a covered file is missing, a
 * covered file's checksum changed, a file at or below the snapshot version is not covered.
 */
export const snapshotStaleness = (snapshot: Snapshot, files: readonly MigrationFile[]): string[] => {
	const reasons: string[] = []
	const byVersion = new Map(files.map(file => [file.version, file]))
	const covered = new Set<string>()
	for (const cover of snapshot.covers) {
		covered.add(cover.version)
		const file = byVersion.get(cover.version)
		if (!file) reasons.push(`covered migration ${cover.name} is missing`)
		else if (file.name !== cover.name) reasons.push(`covered migration ${cover.name} was renamed to ${file.name}`)
		else if (file.checksum !== cover.checksum) reasons.push(`covered migration ${cover.name} changed (checksum ${cover.checksum} → ${file.checksum})`)
	}
	for (const file of files) {
		if (file.version <= snapshot.version && !covered.has(file.version)) {
			reasons.push(`migration ${file.name} is not covered although it is not newer than the snapshot (${snapshot.version})`)
		}
	}
	return reasons
}

/** The schema the snapshot rebuilds (its modifications applied to the empty schema). */
export const snapshotSchema = (snapshot: Snapshot): Schema =>
	applyModifications(emptySchema, snapshot.modifications, snapshot.formatVersion)

export interface SnapshotReplay {
	readonly schema: Schema
	/** the fresh snapshot the replay started from, if any */
	readonly usedSnapshot?: Snapshot
	/** why an existing snapshot was not used (report these to the user) */
	readonly staleReasons: readonly string[]
}

/**
 * Replays `files` starting from the snapshot when it is fresh, skipping the files it covers.
 * `until` (inclusive) limits the replay; a snapshot newer than `until` is not used.
 */
export const replayWithSnapshot = (files: readonly MigrationFile[], snapshot: Snapshot | undefined, options: { until?: string } = {}): SnapshotReplay => {
	const selected = options.until === undefined ? [...files] : files.filter(file => file.version <= options.until!)
	if (!snapshot) return { schema: replay(selected), staleReasons: [] }
	const staleReasons = snapshotStaleness(snapshot, files)
	if (staleReasons.length > 0 || (options.until !== undefined && snapshot.version > options.until)) {
		return { schema: replay(selected), staleReasons }
	}
	const covered = new Set(snapshot.covers.map(cover => cover.version))
	const rest = selected.filter(file => !covered.has(file.version))
	return { schema: replay(rest, { initial: snapshotSchema(snapshot) }), usedSnapshot: snapshot, staleReasons }
}

export interface SnapshotVerification {
	readonly ok: boolean
	/** staleness reasons, or the schema paths where snapshot replay and full replay differ */
	readonly reasons: readonly string[]
}

/** Fresh and equivalent: the snapshot (+ newer files) rebuilds exactly what the full replay does. */
export const verifySnapshot = (snapshot: Snapshot, files: readonly MigrationFile[]): SnapshotVerification => {
	const stale = snapshotStaleness(snapshot, files)
	if (stale.length > 0) return { ok: false, reasons: stale }
	const full = replay([...files])
	let fromSnapshot: Schema
	try {
		fromSnapshot = replayWithSnapshot(files, snapshot).schema
	} catch (error) {
		// a hand-edited snapshot whose modifications no longer apply
		return { ok: false, reasons: [`the snapshot's modifications do not replay: ${error instanceof Error ? error.message : String(error)}`] }
	}
	const differences = schemaDifferences(full, fromSnapshot)
	return differences.length === 0
		? { ok: true, reasons: [] }
		: { ok: false, reasons: differences.map(it => `replay from the snapshot differs from replaying the files: ${it}`) }
}
