/**
 * Offline, a drop whose name only PostgreSQL knows is written as a `--` comment (the generators
 * in src/modifications/relations/relationSql.ts, constraints/removeUniqueConstraint.ts and
 * indexes/removeIndex.ts); `migrations:execute` runs the real `DROP CONSTRAINT` / `DROP INDEX`
 * there. Its lock is known all the same, so these comment shapes are classified too: a
 * preview must not look cheaper than what will run.
 */
import type { ClassifiedStatement, LockMode } from './statementLocksVocabulary.js'
import { IDENT, identifierName } from './statementLocksSyntax.js'

interface DeferredShape {
	readonly kind: 'dropConstraint' | 'dropIndex'
	readonly pattern: RegExp
	/** `quoted`: the names are written with quoteIdentifier; else raw between double quotes */
	readonly quoted: boolean
}

const resolved = String.raw`is dropped here; its name is resolved from the database catalog at execution$`
const resolvedShort = String.raw`its name is resolved from the database at execution$`

const deferredShapes: readonly DeferredShape[] = [
	{ kind: 'dropConstraint', quoted: true, pattern: new RegExp(String.raw`^-- The foreign key to (?<target>${IDENT}) on table (?<table>${IDENT}) \(.*\) ${resolved}`, 's') },
	{ kind: 'dropConstraint', quoted: true, pattern: new RegExp(String.raw`^-- The unique key on table (?<table>${IDENT}) \(.*\) ${resolved}`, 's') },
	{ kind: 'dropIndex', quoted: true, pattern: new RegExp(String.raw`^-- The index on table (?<table>${IDENT}) \(.*\) ${resolved}`, 's') },
	{ kind: 'dropConstraint', quoted: false, pattern: new RegExp(String.raw`^-- drops the unique constraint on "(?<table>.+?)" \(.*\); ${resolvedShort}`, 's') },
	{ kind: 'dropIndex', quoted: false, pattern: new RegExp(String.raw`^-- drops the (?:unique )?index on "(?<table>.+?)" \(.*\); ${resolvedShort}`, 's') },
]

/** the classification of a generator comment that stands for a drop at execution; undefined for any other comment */
export const classifyResolvedAtExecution = (comment: string): ClassifiedStatement | undefined => {
	for (const shape of deferredShapes) {
		const groups = shape.pattern.exec(comment.trim())?.groups
		if (!groups) continue
		const name = (raw: string) => (shape.quoted ? identifierName(raw) : raw)
		const table = name(groups.table!)
		// dropping a foreign key drops its triggers on the referenced table too
		const target = groups.target !== undefined ? name(groups.target) : undefined
		const lock: LockMode = 'ACCESS EXCLUSIVE'
		return {
			kind: shape.kind,
			tables: target !== undefined && target !== table ? [{ table, lock }, { table: target, lock }] : [{ table, lock }],
			effect: 'catalog',
			transactional: true,
			resolvedAtExecution: true,
		}
	}
	return undefined
}
