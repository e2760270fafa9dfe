/** Actions (triggers and webhook targets) are kept as JSON keyed by name; no SQL. */
import { ModificationApplyError } from '../../errors.js'
import { type ActionsSchema, type JsonObject, own, type Schema } from '../../schema/model.js'

type Kind = 'triggers' | 'targets'

const actionsOf = (schema: Schema): ActionsSchema => schema.actions ?? { triggers: {}, targets: {} }

export const getAction = (schema: Schema, kind: Kind, name: string): JsonObject => {
	const item = own(actionsOf(schema)[kind], name)
	if (!item) throw new ModificationApplyError(`${kind === 'triggers' ? 'Trigger' : 'Target'} ${name} not found`)
	return item
}

export const setAction = (schema: Schema, kind: Kind, name: string, value: JsonObject): Schema => {
	const actions = actionsOf(schema)
	return { ...schema, actions: { ...actions, [kind]: { ...actions[kind], [name]: value } } }
}

export const removeAction = (schema: Schema, kind: Kind, name: string): Schema => {
	getAction(schema, kind, name)
	const actions = actionsOf(schema)
	const { [name]: _removed, ...rest } = actions[kind]
	return { ...schema, actions: { ...actions, [kind]: rest } }
}

/** a trigger or target: a named object; its other keys are Contember's, kept as they are */
export const namedObjectSchema = {
	type: 'object',
	required: ['name', 'type'],
	properties: { name: { type: 'string', minLength: 1 }, type: { type: 'string', minLength: 1 } },
} as const

export const nameData = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } }, additionalProperties: false } as const
