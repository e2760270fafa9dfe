/**
 * The contract of one differ: compare the schema as the earlier differs left it (`current`)
 * with the declared one (`updated`) and return the modifications of one kind.
 */
import type { Schema } from '../schema/model.js'
import type { Modification } from '../modifications/types.js'

export interface DifferOptions {
	/** never use `updateView` (CREATE OR REPLACE VIEW); drop and recreate changed views instead */
	readonly recreateViews: boolean
	/** patches with more operations than this become full replacements (`updateAclSchema`) */
	readonly maxAclPatchSize: number
	/** same for `patchValidationSchema` → `updateValidationSchema` */
	readonly maxValidationPatchSize: number
}

export interface Differ {
	/** named in internal errors, e.g. "createColumn" */
	readonly name: string
	/** acl, validation, actions and settings: skipped with `skipNonModelDiffers` */
	readonly nonModel?: boolean
	diff(current: Schema, updated: Schema, options: DifferOptions): Modification[]
}
