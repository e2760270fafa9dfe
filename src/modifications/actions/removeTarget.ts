/** removeTarget `{ name }`. No SQL. */
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { nameData, removeAction } from './actionsShared.js'

export interface RemoveTargetData {
	readonly name: string
}

export const removeTargetModification = defineModification<RemoveTargetData>({
	id: 'removeTarget',
	dataSchema: nameData,
	apply: (schema, { name }) => removeAction(schema, 'targets', name),
	sql: () => {},
	describe: ({ name }) => describeStep(`Remove target ${name}`),
})
