/**
 * Migration files: the one module other parts of strata import (naming, parsing, writing,
 * checksums, lookup). The pieces live in naming.ts, format.ts, parse.ts, checksum.ts, store.ts.
 */
import { StrataError } from '../errors.js'
import type { MigrationFile } from './format.js'
import { nearestMatches, VERSION_LENGTH } from './naming.js'

export type { MigrationContent, MigrationFile, SkippedError } from './format.js'
export { emptyMigrationContent, FORMAT_VERSION_INITIAL, FORMAT_VERSION_LATEST, serializeMigration, validateModificationData } from './format.js'
export { CHECKSUM_ALGORITHM, migrationChecksum } from './checksum.js'
export {
	classifyFileName,
	isValidVersion,
	LABEL_PATTERN,
	MIGRATION_FILE_PATTERN,
	migrationFileName,
	nextVersion,
	normaliseLabel,
	validateLabel,
	versionFromDate,
	versionOf,
} from './naming.js'
export { locateJsonSyntaxError, parseMigration } from './parse.js'
export { listMigrationDir, readMigrations, writeMigrationFile } from './store.js'

/**
 * Finds a migration by name (`2024-05-01-120000-add-post`, `.json` optional), version
 * (`2024-05-01-120000`) or, when it is unique, label (`add-post`). The error lists near matches.
 */
export const findMigration = <F extends Pick<MigrationFile, 'name' | 'version' | 'label'>>(files: readonly F[], nameOrVersion: string): F => {
	const wanted = nameOrVersion.trim().replace(/^.*[\\/]/, '').replace(/\.json$/, '')
	const exact = files.find(it => it.name === wanted)
	if (exact) return exact
	if (wanted.length === VERSION_LENGTH) {
		const byVersion = files.find(it => it.version === wanted)
		if (byVersion) return byVersion
	}
	const byLabel = files.filter(it => it.label === wanted)
	if (byLabel.length === 1) return byLabel[0]!
	if (byLabel.length > 1) {
		throw new StrataError('MIGRATION_AMBIGUOUS', `"${nameOrVersion}" names ${byLabel.length} migrations: ${byLabel.map(it => it.name).join(', ')}. Give the full name or the version.`)
	}
	const labels = nearestMatches(wanted, files.map(it => it.label), 3)
	const near = [...nearestMatches(wanted, files.map(it => it.name), 3), ...files.filter(it => labels.includes(it.label)).map(it => it.name)]
	const prefixed = files.filter(it => it.name.startsWith(wanted) || it.label.startsWith(wanted)).map(it => it.name)
	const suggestions = [...new Set([...prefixed.slice(0, 3), ...near])].slice(0, 3)
	const hint = files.length === 0
		? ' There are no migrations.'
		: suggestions.length > 0
			? ` Did you mean ${suggestions.join(', ')}?`
			: ` The latest is ${files[files.length - 1]!.name}.`
	throw new StrataError('MIGRATION_NOT_FOUND', `Migration "${nameOrVersion}" not found.${hint}`)
}
