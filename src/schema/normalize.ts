/**
 * Fills what a declared schema may leave out, as Contember's loader does: missing non-model
 * parts become their empty values, a missing entity `eventLog` becomes enabled, missing
 * `unique`/`indexes` become `[]`, legacy object maps become arrays (their values), and a
 * junction without `eventLog` gets it enabled. Never throws: values of the wrong shape are
 * passed through untouched for the validator to report.
 */
import type { Schema } from './model.js'
import { isObject } from './validation/codes.js'

const mapValues = <T>(record: Record<string, unknown>, fn: (value: unknown) => T): Record<string, T> =>
	Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]))

const listOf = (value: unknown): unknown => (value === undefined ? [] : isObject(value) ? Object.values(value) : value)

const normalizeField = (field: unknown): unknown => {
	if (!isObject(field) || !isObject(field.joiningTable) || field.joiningTable.eventLog !== undefined) return field
	return { ...field, joiningTable: { ...field.joiningTable, eventLog: { enabled: true } } }
}

const normalizeEntity = (entity: unknown): unknown => {
	if (!isObject(entity)) return entity
	return {
		...entity,
		fields: isObject(entity.fields) ? mapValues(entity.fields, normalizeField) : entity.fields,
		unique: listOf(entity.unique),
		indexes: listOf(entity.indexes),
		eventLog: entity.eventLog ?? { enabled: true },
	}
}

export const normalizeSchema = (input: unknown): Schema => {
	if (!isObject(input)) return input as Schema
	const model = isObject(input.model)
		? {
				...input.model,
				enums: input.model.enums ?? {},
				entities: isObject(input.model.entities) ? mapValues(input.model.entities, normalizeEntity) : input.model.entities,
			}
		: input.model
	const actions = isObject(input.actions) ? { triggers: {}, targets: {}, ...input.actions } : (input.actions ?? { triggers: {}, targets: {} })
	return {
		...input,
		model,
		acl: input.acl ?? { roles: {} },
		validation: input.validation ?? {},
		actions,
		settings: input.settings ?? {},
	} as Schema
}
