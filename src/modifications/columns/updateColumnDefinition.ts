/**
 * updateColumnDefinition `{ entityName, fieldName, definition, fillValue?, copyValue?,
 * valueMigrationStrategy?, conversion? }`: replaces everything of a column but its names. SQL is
 * one `ALTER TABLE "t" ALTER "c" …` with the actions in Contember's order (type, nullability,
 * identity), then the update-strategy fill, then identity option changes. Metadata-only
 * changes (default, typeAlias, schema) emit nothing.
 *
 * `conversion` is strata's extension (docs/diff.md, "Type changes PostgreSQL cannot cast"): an
 * SQL expression over the row's old columns that gives the new value, used as the type change's
 * `USING (…)` instead of the cast `"c"::new`. Contember does not know it, so a file holding one
 * is marked (`"strata": { "extensions": ["conversion"] }`, src/migrations/strataOnly.ts).
 */
import { type Column, type ColumnDefinition, type ColumnSequence, type Schema, isColumn, own } from '../../schema/model.js'
import { quoteIdentifier, quoteLiteral } from '../../sql/quote.js'
import { describeStep, findEntity } from '../describeShared.js'
import { columnDefinitionProperties, entityNameData } from '../fields/fieldSchemas.js'
import { columnSqlType, identitySql, integerLiteral, isView, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, updateField } from '../updaters.js'
import { WarningCode, warning } from '../warnings.js'
import { getFieldOfKind } from '../relations/relationSql.js'
import { type SeedData, alterColumnSql, fillByUpdateSql, seedDataProperties, seedExpression, setDataTypeAction } from './columnSql.js'
import { classifyTypeChange } from './typeChange.js'

export interface UpdateColumnDefinitionData extends SeedData {
	readonly entityName: string
	readonly fieldName: string
	readonly definition: ColumnDefinition
	/** strata's extension: the USING expression of the type change (the new value from the old row) */
	readonly conversion?: string
}

const getColumn = (schema: Schema, entityName: string, fieldName: string): Column => getFieldOfKind(schema, entityName, fieldName, isColumn, 'a column')

/** the definition without names, so a stray `name`/`columnName` in it can never rename the column */
const definitionOnly = (definition: ColumnDefinition): ColumnDefinition => {
	const { name: _name, columnName: _columnName, ...rest } = definition as ColumnDefinition & { name?: string; columnName?: string }
	return rest
}

/**
 * PG_GET_SERIAL_SEQUENCE parses its first argument as an SQL name (lower-cased unless quoted),
 * the second literally. Contember passes the bare table name, which is right for plain
 * lower-case names only; any other name is passed in its quoted form.
 */
const serialSequenceTable = (tableName: string): string => (/^[a-z_][a-z0-9_]*$/.test(tableName) ? tableName : quoteIdentifier(tableName))

/** `SET GENERATED …`, `SET START WITH n`, `RESTART` when an identity column keeps its identity */
const identityOptionChanges = (before: ColumnSequence, after: ColumnSequence): string[] => [
	...(before.precedence !== after.precedence ? [`SET GENERATED ${after.precedence === 'ALWAYS' ? 'ALWAYS' : 'BY DEFAULT'}`] : []),
	...(after.start !== undefined && after.start !== before.start ? [`SET START WITH ${integerLiteral(after.start)}`] : []),
	...(after.restart ? ['RESTART'] : []),
]

export const updateColumnDefinitionModification = defineModification<UpdateColumnDefinitionData>({
	id: 'updateColumnDefinition',
	docs: {
		category: 'columns',
		summary: 'Changes a column\'s type, nullability, default, collation or sequence; fill options fill NULLs, `conversion` (strata) converts a type PostgreSQL cannot cast.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'one `ALTER TABLE … ALTER …`',
		destructive: 'for narrowing type changes (the description names the reason)',
		warnings: ['S004', 'S006', 'S008'],
		example: {
			entityName: 'Post',
			fieldName: 'title',
			definition: { type: 'String', columnType: 'text', nullable: false },
			fillValue: 'untitled',
		},
	},
	dataSchema: entityNameData(
		{
			fieldName: { type: 'string', minLength: 1 },
			definition: { type: 'object', required: ['type', 'columnType', 'nullable'], properties: columnDefinitionProperties, additionalProperties: false },
			...seedDataProperties,
			conversion: { type: 'string', minLength: 1, pattern: '\\S' },
		},
		['fieldName', 'definition'],
	),

	apply: (schema, { entityName, fieldName, definition }) => {
		getColumn(schema, entityName, fieldName)
		return updateField<Column>(entityName, fieldName, field => ({
			name: field.name,
			columnName: field.columnName,
			...definitionOnly(definition),
		}))(schema)
	},

	sql: (builder, schema, data) => {
		const entity = getEntity(schema, data.entityName)
		if (isView(entity)) return
		const before = getColumn(schema, data.entityName, data.fieldName)
		const after = data.definition
		const column = quoteIdentifier(before.columnName)
		const type = columnSqlType(schema, after)
		const newType = type !== columnSqlType(schema, before)
		const newSequence = !before.sequence && after.sequence ? after.sequence : undefined
		const newCollation = after.collation !== before.collation
		const nullableChanged = before.nullable !== after.nullable

		const seed = seedExpression(schema, entity, after, data)
		const withUsing = seed !== undefined && data.valueMigrationStrategy === 'using'
		const withUpdate = seed !== undefined && !withUsing

		const cast = data.conversion !== undefined
			? `(${data.conversion})`
			: !before.list && after.list
				? `CASE WHEN ${column} IS NULL THEN ${after.nullable ? 'NULL' : `ARRAY[]::${type}`} ELSE ARRAY[${column}]::${type} END`
				: `${column}::${type}`
		const using = newSequence
			? `COALESCE(${cast}, nextval(PG_GET_SERIAL_SEQUENCE(${quoteLiteral(serialSequenceTable(entity.tableName))}, ${quoteLiteral(before.columnName)})))`
			: withUsing ? `COALESCE(${cast}, ${seed})` : newType || data.conversion !== undefined ? cast : undefined

		const actions: string[] = []
		if (newType || newCollation || newSequence || withUsing || data.conversion !== undefined) {
			// SET DATA TYPE resets the collation unless it is repeated; a removed one goes back to "default"
			const collation = newCollation ? (after.collation ?? 'default') : after.collation
			actions.push(setDataTypeAction(type, { collation, using }))
		}
		// PostgreSQL refuses DROP NOT NULL on an identity column, so a dropped identity goes first
		// (Contember writes it after the nullability change, which fails when both change)
		if (before.sequence && !after.sequence) actions.push('DROP IDENTITY')
		// with the update strategy, NOT NULL waits until the rows are filled
		if (nullableChanged && (!withUpdate || after.nullable)) actions.push(after.nullable ? 'DROP NOT NULL' : 'SET NOT NULL')
		if (newSequence) actions.push(`ADD ${identitySql(newSequence)}`)
		alterColumnSql(builder, entity, before.columnName, actions)

		if (withUpdate) fillByUpdateSql(builder, entity, { columnName: before.columnName, nullable: after.nullable }, seed, true)

		if (before.sequence && after.sequence) {
			const changes = identityOptionChanges(before.sequence, after.sequence)
			if (changes.length > 0) builder.statement(`ALTER TABLE ${quoteTable(entity)} ALTER ${column} ${changes.join(' ')}`)
		}
	},

	describe: (data, { schema, createdEntities }) => {
		const { entityName, fieldName, definition: after } = data
		const entity = findEntity(schema, entityName)
		const field = own(entity?.fields, fieldName)
		const message = `Update column definition of ${entityName}.${fieldName}`
		if (!entity || !field || !isColumn(field) || isView(entity)) return describeStep(message)
		const before = field
		const table = createdEntities.has(entityName) ? undefined : entity.tableName
		const typeChange = classifyTypeChange(before, after)
		const seeded = data.fillValue !== undefined || data.copyValue !== undefined
		const rewrites = typeChange.kind !== 'none' || before.collation !== after.collation || (!before.sequence && after.sequence) ||
			(seeded && data.valueMigrationStrategy === 'using') || data.conversion !== undefined
		const converted = data.conversion !== undefined
		const changes = [
			typeChange.kind !== 'none' && `type ${columnSqlType(schema, before)} → ${columnSqlType(schema, after)}`,
			converted && `converted with USING (${data.conversion})`,
			before.nullable !== after.nullable && (after.nullable ? 'nullable' : 'NOT NULL'),
			before.collation !== after.collation && `collation ${after.collation ?? 'default'}`,
			!before.sequence !== !after.sequence && (after.sequence ? 'identity added' : 'identity dropped'),
		].filter(Boolean)
		return describeStep(`${message}${changes.length ? ` (${changes.join(', ')})` : ''}`, {
			// the expression decides what survives: the old values themselves are gone
			destructiveReason: converted
				? `${entityName}.${fieldName}'s values are replaced by the conversion written in the migration, USING (${data.conversion}): what it does not carry over is lost`
				: typeChange.kind === 'narrowing'
					? `${entityName}.${fieldName} narrows from ${columnSqlType(schema, before)} to ${columnSqlType(schema, after)}: ${typeChange.reason}`
					: undefined,
			warnings: [
				!converted && typeChange.kind === 'narrowing' &&
					warning(WarningCode.typeNarrowing, `casting ${entityName}.${fieldName} to ${columnSqlType(schema, after)}: ${typeChange.reason}`),
				table !== undefined && before.nullable && !after.nullable && !seeded &&
					warning(WarningCode.setNotNullMayFail, `${entityName}.${fieldName} becomes NOT NULL without fillValue or copyValue: the step fails when a row of "${table}" holds NULL`),
				table !== undefined && rewrites &&
					warning(WarningCode.tableRewrite, `changing the type of ${entityName}.${fieldName} can rewrite table "${table}" and holds an ACCESS EXCLUSIVE lock meanwhile`),
			],
		})
	},
})
