/** SQL pieces of indexes whose text comes from the schema (method, operator class, predicate). */
import { ModificationApplyError } from '../../errors.js'
import { type Entity, type Index, type IndexMethod, own } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { fieldsToColumns } from '../sqlShared.js'

const methods: readonly IndexMethod[] = ['btree', 'gin', 'gist', 'hash', 'brin', 'spgist']

/** ` USING gin`, or nothing for the default */
export const indexMethodSql = (method: IndexMethod | undefined): string => {
	if (method === undefined) return ''
	if (!methods.includes(method)) throw new ModificationApplyError(`Unknown index method ${JSON.stringify(method)}`)
	return ` USING ${method}`
}

/**
 * An operator class is an (optionally schema-qualified) identifier written bare, as Contember
 * does, so it folds to lower case like PostgreSQL's own names; anything else is refused rather
 * than pasted into SQL.
 */
export const opClassSql = (opClass: string): string => {
	if (!/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/.test(opClass)) {
		throw new ModificationApplyError(`Invalid operator class ${JSON.stringify(opClass)}`)
	}
	return opClass
}

/**
 * The predicate of a partial index is raw SQL by definition (Contember rejects `;`, so one
 * statement cannot become two). A trailing `--` comment would swallow the closing parenthesis,
 * so a line break precedes it then.
 */
export const wherePredicateSql = (where: string): string => {
	if (where.trim() === '' || where.includes(';')) throw new ModificationApplyError(`Invalid index predicate ${JSON.stringify(where)}: it must be non-empty and contain no ';'`)
	return where.includes('--') ? `(${where}\n)` : `(${where})`
}

export const createIndexSql = (entity: Entity, index: Index): string => {
	const columns = index.fields.map(fieldName => {
		const [column] = fieldsToColumns(entity, [fieldName])
		const options = own(index.columnOptions, fieldName)
		const opClass = options?.opClass ?? index.opClass
		return [
			quoteIdentifier(column!),
			opClass !== undefined ? ` ${opClassSql(opClass)}` : '',
			options?.order === 'desc' ? ' DESC' : '',
			options?.nulls === 'first' ? ' NULLS FIRST' : options?.nulls === 'last' ? ' NULLS LAST' : '',
		].join('')
	})
	const include = index.include?.length ? ` INCLUDE (${fieldsToColumns(entity, index.include).map(quoteIdentifier).join(', ')})` : ''
	const where = index.where !== undefined ? ` WHERE ${wherePredicateSql(index.where)}` : ''
	return `CREATE INDEX ON ${quoteIdentifier(entity.tableName)}${indexMethodSql(index.method)} (${columns.join(', ')})${include}${where}`
}

/** the identity of an index, as removeIndex data carries it (everything but `name`) */
export const indexIdentityKeys = ['fields', 'method', 'opClass', 'where', 'include', 'columnOptions'] as const
