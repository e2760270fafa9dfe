/**
 * ACL, validation: RFC 6902 patches while they stay small (reviewable in the file), full
 * replacements above the patch-size threshold. Actions: a changed trigger is always written
 * whole (`updateTrigger`): `patchTrigger` exists only in the Contember line after 2.0.x, which
 * cannot read it, while both lines read `updateTrigger` (a trigger is a small object anyway).
 */
import { createPatch } from 'rfc6902'
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { modification, same } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffAclSchema: Differ = {
	name: 'updateAclSchema',
	nonModel: true,
	diff: (current, updated, options) => {
		if (same(current.acl, updated.acl)) return []
		const patch = createPatch(current.acl, updated.acl)
		if (patch.length === 0) return []
		return [patch.length <= options.maxAclPatchSize ? modification('patchAclSchema', { patch }) : modification('updateAclSchema', { schema: updated.acl })]
	},
}

export const diffValidationSchema: Differ = {
	name: 'updateValidationSchema',
	nonModel: true,
	diff: (current, updated, options) => {
		if (same(current.validation, updated.validation)) return []
		const patch = createPatch(current.validation, updated.validation)
		if (patch.length === 0) return []
		return [
			patch.length <= options.maxValidationPatchSize
				? modification('patchValidationSchema', { patch })
				: modification('updateValidationSchema', { schema: updated.validation }),
		]
	},
}

/** targets before triggers are created (triggers name their target), triggers removed before their targets */
export const diffActions: Differ = {
	name: 'actions',
	nonModel: true,
	diff: (current, updated) => {
		const before = current.actions ?? { triggers: {}, targets: {} }
		const after = updated.actions ?? { triggers: {}, targets: {} }
		const out: Modification[] = []
		for (const [name, target] of Object.entries(after.targets)) {
			if (own(before.targets, name) && !same(own(before.targets, name), target)) out.push(modification('updateTarget', { name, target }))
		}
		for (const [name, target] of Object.entries(after.targets)) {
			if (!own(before.targets, name)) out.push(modification('createTarget', { target }))
		}
		for (const [name, trigger] of Object.entries(after.triggers)) {
			const old = own(before.triggers, name)
			if (old && !same(old, trigger)) out.push(modification('updateTrigger', { trigger }))
		}
		for (const [name, trigger] of Object.entries(after.triggers)) {
			if (!own(before.triggers, name)) out.push(modification('createTrigger', { trigger }))
		}
		for (const name of Object.keys(before.triggers)) if (!own(after.triggers, name)) out.push(modification('removeTrigger', { name }))
		for (const name of Object.keys(before.targets)) if (!own(after.targets, name)) out.push(modification('removeTarget', { name }))
		return out
	},
}
