/**
 * Splits the differ's modifications into an expand and a contract migration (docs/zero-downtime.md).
 * Pure: given the schema the migrations build and the modifications turning it into the declared
 * one, it returns the two lists, or undefined when every step is backward compatible (then one
 * ordinary migration is written, as without --expand-contract).
 *
 * - a field rename that renames its column: expand adds the new column nullable, a trigger keeping
 *   the two in step (and, for a NOT NULL field, a `CHECK … NOT VALID`), and copies the rows in
 *   committed batches outside the transaction; contract validates the check and sets NOT NULL,
 *   drops the check and the trigger, and removes the old field;
 * - a new NOT NULL column, or a nullable column made NOT NULL, with a fill value: expand adds the
 *   column nullable, a trigger writing the fill value into NULLs, a `CHECK … NOT VALID`, and a
 *   backfill in committed batches outside the transaction (batches.ts); contract validates the check, sets NOT NULL and drops the
 *   check and the trigger;
 * - a table rename: expand renames it and leaves an updatable view under the old name; contract
 *   drops the view;
 * - removals (fields, entities, enums): contract (a NOT NULL column removed is made nullable in
 *   expand, so the new application, which no longer writes it, can insert);
 * - a type change: expand adds a temporary column of the new type (`<column>_next`, field
 *   `<field>Next`), converts the rows into it outside the transaction and installs a trigger
 *   keeping the two in step; contract drops the trigger and the old field, and the temporary one
 *   takes its name (an identity column, or a type change with a fill value, is not split: it stays
 *   in expand as it is, with a warning);
 * - everything else goes into expand, in the differ's order.
 *
 * Compatibility steps are strata's `executeSql` modifications, which leave the replayed schema as
 * it is: the schema after expand alone has both shapes and is a valid schema.
 */
import type { Column, Entity, Schema } from '../schema/model.js'
import { isColumn } from '../schema/model.js'
import { applyModification } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { fillLiteral } from '../modifications/columns/columnSql.js'
import type { JsonValue } from '../schema/model.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { dropSyncTriggerSql, syncTriggerSql } from './renameColumn.js'
import { backfillSql, dropFillSql, dropNotNullCheckSql, fillTriggerSql, notNullCheckSql, validateCheckSql, type NotNullColumn } from './notNull.js'
import { dropOldNameViewSql, oldNameViewSql } from './renameTable.js'
import { convertRowsSql, dropRetypeTriggerSql, retypeTriggerSql, temporaryNames } from './retypeColumn.js'
import { columnSqlType } from '../modifications/sqlShared.js'

export interface ExpandContractSplit {
	readonly expand: readonly Modification[]
	readonly contract: readonly Modification[]
	/** steps left as they are although they are not backward compatible */
	readonly warnings: readonly string[]
}

const sql = (statements: string, options: { transactional?: boolean; down?: string } = {}): Modification => ({
	modification: 'executeSql',
	sql: statements,
	compatibility: true,
	...(options.transactional === false ? { transactional: false } : {}),
	...(options.down !== undefined ? { down: options.down } : {}),
})

/** a column without its name: the definition updateColumnDefinition takes */
const definitionOf = (column: Column): Record<string, unknown> => {
	const { name: _name, columnName: _columnName, ...definition } = column
	return definition
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
const sortKeys = (value: unknown): unknown =>
	Array.isArray(value) ? value.map(sortKeys)
		: typeof value === 'object' && value !== null ? Object.fromEntries(Object.keys(value).sort().map(key => [key, sortKeys((value as Record<string, unknown>)[key])]))
			: value

interface Context {
	readonly schema: Schema
	/** entities created earlier in the same diff: their tables are empty and unknown to the old application */
	readonly created: ReadonlySet<string>
	readonly expand: Modification[]
	readonly contract: Modification[]
	readonly warnings: string[]
}

const entityOf = (context: Context, name: unknown): Entity | undefined =>
	typeof name === 'string' && !context.created.has(name) ? context.schema.model.entities[name] : undefined

const tableOf = (entity: Entity | undefined): Entity | undefined => (entity && entity.view === undefined ? entity : undefined)

/** the primary key column, which the backfills' batches walk */
const primaryKeyOf = (entity: Entity): string => {
	const primary = entity.fields[entity.primary]
	return primary && isColumn(primary) ? primary.columnName : entity.primary
}

/** the fill of a NOT NULL step, as SQL: a literal or another column of the row */
const fillOf = (entity: Entity, column: Column, data: Modification): NotNullColumn['fill'] | undefined => {
	if (data.fillValue !== undefined) return { literal: fillLiteral(column, data.fillValue as JsonValue) }
	if (typeof data.copyValue === 'string') {
		const source = entity.fields[data.copyValue]
		if (source && isColumn(source)) return { column: source.columnName }
	}
	return undefined
}

const withoutSeed = (modification: Modification): Modification => {
	const { fillValue: _fill, copyValue: _copy, valueMigrationStrategy: _strategy, ...rest } = modification
	return rest as Modification
}

/** a type change: a temporary column of the new type beside the old one (retypeColumn.ts) */
const splitTypeChange = (context: Context, entity: Entity, field: Column, modification: Modification): boolean => {
	const definition = modification.definition as Omit<Column, 'name' | 'columnName'>
	const names = temporaryNames(field.name, field.columnName)
	const taken = entity.fields[names.field] !== undefined || Object.values(entity.fields).some(it => isColumn(it) && it.columnName === names.column)
	if (taken || field.sequence || definition.sequence || modification.fillValue !== undefined || modification.copyValue !== undefined) {
		context.warnings.push(`${entity.name}.${field.name}: the type change (${field.columnType} → ${definition.columnType}) is not split; it runs in the expand migration as it is (not backward compatible).`)
		return false
	}
	const target = {
		table: entity.tableName, primaryKey: primaryKeyOf(entity), column: field.columnName, next: names.column,
		oldType: columnSqlType(context.schema, field), newType: columnSqlType(context.schema, definition),
		...(typeof modification.conversion === 'string' ? { conversion: modification.conversion } : {}),
	}
	context.expand.push(
		{ modification: 'createColumn', entityName: entity.name, field: { ...definition, name: names.field, columnName: names.column, nullable: true } },
		sql(retypeTriggerSql(target), { down: dropRetypeTriggerSql(target) }),
		sql(convertRowsSql(target), { transactional: false }),
	)
	context.contract.push(
		sql(dropRetypeTriggerSql(target)),
		{ modification: 'removeField', entityName: entity.name, fieldName: field.name },
		{ modification: 'updateFieldName', entityName: entity.name, fieldName: names.field, newFieldName: field.name, columnName: field.columnName },
		...(definition.nullable ? [] : [{ modification: 'updateColumnDefinition', entityName: entity.name, fieldName: field.name, definition }]),
	)
	return true
}

/** adds the steps of one modification; false when it is an ordinary expand step */
const splitOne = (context: Context, modification: Modification): boolean => {
	const { expand, contract } = context
	const entity = tableOf(entityOf(context, modification.entityName))
	switch (modification.modification) {
		case 'updateFieldName': {
			const field = entity?.fields[modification.fieldName as string]
			if (!entity || !field || !isColumn(field)) return false
			const columnName = (modification.columnName as string | undefined) ?? field.columnName
			if (columnName === field.columnName) return false
			if (field.sequence) {
				context.warnings.push(`${entity.name}.${field.name} → ${String(modification.newFieldName)}: an identity column is renamed in place (not backward compatible).`)
				return false
			}
			const rename = { table: entity.tableName, from: field.columnName, to: columnName }
			// the new column starts empty and nullable: the copy runs in committed batches outside the transaction, the trigger keeps rows written meanwhile in step
			const copy = { table: entity.tableName, primaryKey: primaryKeyOf(entity), column: columnName, fill: { column: field.columnName } }
			expand.push(
				{ modification: 'createColumn', entityName: entity.name, field: { ...field, name: modification.newFieldName, columnName, nullable: true } },
				sql(field.nullable ? syncTriggerSql(rename) : `${syncTriggerSql(rename)};\n${notNullCheckSql(copy)}`, { down: field.nullable ? dropSyncTriggerSql(rename) : `${dropNotNullCheckSql(copy)};\n${dropSyncTriggerSql(rename)}` }),
				sql(backfillSql(copy), { transactional: false }),
			)
			contract.push(
				...(field.nullable ? [] : [
					sql(validateCheckSql(copy)),
					{ modification: 'updateColumnDefinition', entityName: entity.name, fieldName: modification.newFieldName, definition: definitionOf(field) },
					sql(dropNotNullCheckSql(copy)),
				]),
				sql(dropSyncTriggerSql(rename)),
				{ modification: 'removeField', entityName: entity.name, fieldName: field.name },
			)
			return true
		}
		case 'updateColumnName': {
			if (entity) context.warnings.push(`${entity.name}.${String(modification.fieldName)}: a column renamed without renaming its field is done in place (not backward compatible).`)
			return false
		}
		case 'createColumn': {
			const field = modification.field as Column
			if (!entity || field.nullable || field.sequence) return false
			const fill = fillOf(entity, field, modification)
			if (!fill) return false
			const target = { table: entity.tableName, primaryKey: primaryKeyOf(entity), column: field.columnName, fill }
			expand.push(
				{ ...withoutSeed(modification), field: { ...field, nullable: true } },
				sql(fillTriggerSql(target), { down: dropFillSql(target) }),
				sql(backfillSql(target), { transactional: false }),
			)
			contract.push(
				sql(validateCheckSql(target)),
				{ modification: 'updateColumnDefinition', entityName: entity.name, fieldName: field.name, definition: definitionOf(field) },
				sql(dropFillSql(target)),
			)
			return true
		}
		case 'updateColumnDefinition': {
			const field = entity?.fields[modification.fieldName as string]
			if (!entity || !field || !isColumn(field)) return false
			const definition = modification.definition as Record<string, unknown>
			if (definition.type !== field.type || definition.columnType !== field.columnType) return splitTypeChange(context, entity, field, modification)
			const onlyNotNull = field.nullable && definition.nullable === false && sameJson({ ...definitionOf(field), nullable: false }, definition)
			if (!onlyNotNull) return false
			const fill = fillOf(entity, field, modification)
			if (!fill) {
				// no value to give the old application's NULLs: NOT NULL waits for the contract
				contract.push(modification)
				return true
			}
			const target = { table: entity.tableName, primaryKey: primaryKeyOf(entity), column: field.columnName, fill }
			expand.push(sql(fillTriggerSql(target), { down: dropFillSql(target) }), sql(backfillSql(target), { transactional: false }))
			contract.push(sql(validateCheckSql(target)), withoutSeed(modification), sql(dropFillSql(target)))
			return true
		}
		case 'updateEntityName':
		case 'updateEntityTableName': {
			const tableName = modification.tableName as string | undefined
			if (!entity || tableName === undefined || tableName === entity.tableName) return false
			expand.push(modification, sql(oldNameViewSql(entity.tableName, tableName), { down: dropOldNameViewSql(entity.tableName) }))
			contract.push(sql(dropOldNameViewSql(entity.tableName)))
			return true
		}
		case 'removeField': {
			const field = entity?.fields[modification.fieldName as string]
			if (entity && field && isColumn(field) && !field.nullable && field.default === undefined && !field.sequence) {
				// the new application no longer writes it: it may not stay NOT NULL in between
				expand.push({ modification: 'updateColumnDefinition', entityName: entity.name, fieldName: field.name, definition: { ...definitionOf(field), nullable: true } })
			}
			contract.push(modification)
			return true
		}
		case 'removeEntity':
		case 'removeEnum':
			contract.push(modification)
			return true
		default:
			return false
	}
}

/** the expand and contract halves, or undefined when the whole change is backward compatible */
export const splitExpandContract = (before: Schema, modifications: readonly Modification[]): ExpandContractSplit | undefined => {
	const expand: Modification[] = []
	const contract: Modification[] = []
	const warnings: string[] = []
	const created = new Set<string>()
	let schema = before
	for (const modification of modifications) {
		if (!splitOne({ schema, created, expand, contract, warnings }, modification)) expand.push(modification)
		if (modification.modification === 'createEntity') created.add((modification.entity as { name: string }).name)
		if (modification.modification === 'updateEntityName' && created.has(modification.entityName as string)) created.add(modification.newEntityName as string)
		schema = applyModification(schema, modification, FORMAT_VERSION_LATEST)
	}
	if (contract.length === 0) return warnings.length > 0 ? { expand, contract, warnings } : undefined
	return { expand, contract, warnings }
}
