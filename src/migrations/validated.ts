/**
 * The gate in front of SQL generation: every command that turns migration files into SQL
 * (execute, describe, drift, amend, rebase) first replays them and validates the schema with
 * the rules `project:validate` uses, honouring each file's skippedErrors the same way. A file
 * that fails is refused with a user error (exit 1) naming the file, the modification and the
 * rule, before any statement is generated, so nothing reaches SQL unvalidated.
 *
 * Which schemas are validated, and why that is enough: the final schema (as `project:validate`
 * does, each problem attributed to the first file that has it), plus the schema after each file
 * whose SQL is about to be generated (`targets`). Every name, type, predicate and view body a
 * target file's modifications introduce is in the schema right after that file, so a problem a
 * later file removes again (a column with a hostile type that is dropped afterwards) is still
 * caught. Validating after every file of a long history would cost one full validation per file
 * (thousands); the targets are the few files being executed or described.
 */
import { ValidationError, type Problem } from '../errors.js'
import type { Modification } from '../modifications/types.js'
import type { Schema } from '../schema/model.js'
import { validateSchema } from '../schema/validate.js'
import type { SkippedError } from './format.js'
import { replay, validateHistory } from './replay.js'

export interface HistoryFile {
	readonly name: string
	readonly version: string
	readonly formatVersion: number
	readonly modifications: readonly Modification[]
	readonly skippedErrors?: unknown
}

declare const validatedBrand: unique symbol

/** files that passed validateForSql; SQL generation takes this, not bare files */
export interface ValidatedHistory {
	readonly files: readonly HistoryFile[]
	/** the schema after all files */
	readonly schema: Schema
	readonly [validatedBrand]: true
}

/** the fields replay reads; not a spread, which would compute a MigrationFile's lazy checksum */
const replayable = (file: HistoryFile) => ({
	name: file.name, version: file.version, formatVersion: file.formatVersion, modifications: file.modifications as Modification[], // replay only reads them
	skippedErrors: Array.isArray(file.skippedErrors) ? (file.skippedErrors as SkippedError[]) : undefined,
})

/** the first modification of `file` after which the schema has `problem` (code and path), found only when something failed */
const modificationIndexOf = (files: readonly HistoryFile[], fileIndex: number, problem: Problem): number | undefined => {
	try {
		const before = replay(files.slice(0, fileIndex).map(replayable))
		const file = replayable(files[fileIndex]!)
		for (let count = 1; count <= file.modifications.length; count++) {
			const schema = replay([{ ...file, modifications: file.modifications.slice(0, count) }], { initial: before })
			if (validateSchema(schema).some(found => found.code === problem.code && found.path === problem.path)) return count - 1
		}
	} catch {
		// a prefix that does not replay on its own (a tolerated conflict): name the file only
	}
	return undefined
}

/**
 * Replays `files` (in the order given) and validates them; throws ValidationError (exit 1) for
 * problems attributed to a file in `targets` (default: every file). Problems of files outside the
 * targets (already executed) are not theirs to fix here: `project:validate` reports them.
 */
export const validateForSql = (files: readonly HistoryFile[], targets?: ReadonlySet<string>): ValidatedHistory => {
	const refused = targets ?? new Set(files.map(file => file.name))
	const { schema, problems } = validateHistory(files.map(replayable), { alsoAfter: refused })
	const blocking = problems.filter(problem => problem.file !== undefined && refused.has(problem.file.replace(/\.json$/, '')))
	if (blocking.length > 0) {
		const located = blocking.map(problem => {
			const fileIndex = files.findIndex(file => `${file.name}.json` === problem.file)
			const index = fileIndex === -1 ? undefined : modificationIndexOf(files, fileIndex, problem)
			const id = index === undefined ? undefined : files[fileIndex]!.modifications[index]!.modification
			return { ...problem, ...(index === undefined ? {} : { modificationIndex: index }), message: `${id ? `${id}: ` : ''}${problem.message}` }
		})
		const names = [...new Set(located.map(problem => problem.file))]
		throw new ValidationError(
			`Migration ${names.join(', ')} would generate SQL from an invalid schema (${located.length} problem${located.length === 1 ? '' : 's'}); nothing was run:`,
			located, 'MIGRATION_INVALID_SCHEMA')
	}
	return { files, schema } as unknown as ValidatedHistory
}
