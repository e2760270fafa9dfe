/** updateSettings `{ op: 'set', key, value }` / `{ op: 'unset', key }`: one top-level settings key. No SQL. */
import type { JsonValue } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { withoutKey } from '../updaters.js'

export type UpdateSettingsData =
	| { readonly op: 'set'; readonly key: string; readonly value: JsonValue }
	| { readonly op: 'unset'; readonly key: string }

export const updateSettingsModification = defineModification<UpdateSettingsData>({
	id: 'updateSettings',
	docs: {
		category: 'settings',
		summary: 'Sets (`op: \'set\'`, `key`, `value`) or removes (`op: \'unset\'`, `key`) one top-level settings key.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { op: 'set', key: 'useExistsInHasManyFilter', value: true },
	},
	dataSchema: {
		type: 'object',
		required: ['op', 'key'],
		properties: { op: { type: 'string', enum: ['set', 'unset'] }, key: { type: 'string', minLength: 1 }, value: {} },
		additionalProperties: false,
		if: { properties: { op: { const: 'set' } } },
		then: { required: ['value'] },
		else: { not: { required: ['value'] } },
	},
	apply: (schema, data) => ({
		...schema,
		settings: data.op === 'set' ? { ...schema.settings, [data.key]: data.value } : withoutKey(schema.settings ?? {}, data.key),
	}),
	sql: () => {},
	describe: data => describeStep(data.op === 'set' ? `Set setting ${data.key}` : `Unset setting ${data.key}`),
})
