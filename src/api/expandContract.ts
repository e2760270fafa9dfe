/**
 * An expand/contract pair from the declared schema (docs/zero-downtime.md): the plan of
 * `planMigration`, split by src/expandContract/split.ts into an expand migration, safe to run
 * while the old application is live, and a contract migration, run after the new one is deployed.
 * When the change is backward compatible the plan is the single ordinary migration. Offline.
 */
import { splitExpandContract } from '../expandContract/split.js'
import { schemasMatch } from '../diff/helpers.js'
import { StrataError } from '../errors.js'
import type { ExpandContractMarker, StrataExtension } from '../lint/extension.js'
import { lintMigrations, type LintReport } from '../lint/lintMigrations.js'
import { migrationFileName, nextVersion, serializeMigration, writeMigrationFile } from '../migrations/files.js'
import { contemberCannotRun, markedExtension, strataOnlyFeaturesUsed } from '../migrations/strataOnly.js'
import { foldModifications } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { schemaDifferences } from '../schema/compare.js'
import type { Schema } from '../schema/model.js'
import { planMigration, refuseUnwritable, replayedProjectSchema, writeMigration, type MigrationPlan, type PlanMigrationOptions, type PlannedStep, type WriteMigrationOptions } from './diff.js'
import type { StrataProject } from './project.js'

/** one file of the pair */
export interface ExpandContractHalf {
	readonly phase: ExpandContractMarker['phase']
	/** `<version>-<name>-expand` / `<version>-<name>-contract` */
	readonly name: string
	readonly fileName: string
	readonly version: string
	readonly modifications: readonly Modification[]
	readonly strata: StrataExtension
	/** the file as `writeExpandContract` writes it */
	readonly content: string
	readonly steps: readonly PlannedStep[]
	/** Contember cannot read the file (it holds strata's executeSql steps): the message saying so */
	readonly contemberWarning?: string
	readonly lint: LintReport
	/** the schema after this half */
	readonly schemaAfter: Schema
}

export interface ExpandContractPlan {
	/** the single migration of the change, as `planMigration` plans it */
	readonly plan: MigrationPlan
	/** the pair; absent when the change is backward compatible (write `plan` as one ordinary file) */
	readonly pair?: { readonly expand: ExpandContractHalf; readonly contract: ExpandContractHalf }
	/** steps that stay as they are although the old application may not cope with them (a type change) */
	readonly warnings: readonly string[]
}

const half = (
	phase: ExpandContractMarker['phase'], pair: string, version: string, before: Schema, modifications: readonly Modification[], online: boolean, formatVersion: number,
): ExpandContractHalf => {
	const fileName = migrationFileName(version, `${pair}-${phase}`)
	const name = fileName.replace(/\.json$/, '')
	const { steps, schema: schemaAfter } = foldModifications(before, modifications, { formatVersion })
	const strata = markedExtension<StrataExtension>({ ...(online ? { online: true } : {}), expandContract: { phase, pair } }, modifications)!
	const features = [...strataOnlyFeaturesUsed(modifications).keys()]
	return {
		phase, name, fileName, version, modifications, strata,
		content: serializeMigration({ formatVersion: formatVersion, modifications, strata }),
		steps: steps.map(step => ({
			index: step.index, modification: step.modification.modification, message: step.description.message, destructive: step.description.destructive,
			...(step.description.destructiveReason ? { destructiveReason: step.description.destructiveReason } : {}), warnings: step.description.warnings,
		})),
		...(features.length > 0 ? { contemberWarning: contemberCannotRun(fileName, features) } : {}),
		lint: lintMigrations([{ name, version, formatVersion: formatVersion, modifications, strata }], before),
		schemaAfter,
	}
}

/**
 * Plans the change as an expand/contract pair, or as one migration when it is backward
 * compatible. Writes nothing but the replay cache under `.strata/`.
 *
 * @throws StrataError `EXPAND_CONTRACT_UNSUPPORTED` when the two halves would not build the declared schema, and what `planMigration` throws
 */
export const planExpandContract = async (project: StrataProject, options: PlanMigrationOptions): Promise<ExpandContractPlan> => {
	const plan = await planMigration(project, options)
	if (plan.empty) return { plan, warnings: [] }
	const split = splitExpandContract(plan.schemaBefore, plan.modifications)
	if (!split || split.contract.length === 0) return { plan, warnings: split?.warnings ?? [] }
	const { versions } = await replayedProjectSchema(project)
	const online = plan.strata?.online === true
	let expand: ExpandContractHalf
	let contract: ExpandContractHalf
	try {
		expand = half('expand', options.name, plan.version, plan.schemaBefore, split.expand, online, plan.formatVersion)
		contract = half('contract', options.name, nextVersion([...versions, plan.version]), expand.schemaAfter, split.contract, online, plan.formatVersion)
	} catch (error) {
		throw new StrataError('EXPAND_CONTRACT_UNSUPPORTED', `The change cannot be split into expand and contract: ${(error as Error).message}. Write it as one migration (without --expand-contract), or in smaller steps.`)
	}
	if (!schemasMatch(plan.schemaAfter, contract.schemaAfter)) {
		throw new StrataError('EXPAND_CONTRACT_UNSUPPORTED', `The change cannot be split into expand and contract: the two halves would not build the declared schema (${schemaDifferences(plan.schemaAfter, contract.schemaAfter, [], 5).join('; ')}). Write it as one migration (without --expand-contract), or in smaller steps.`)
	}
	return { plan, pair: { expand, contract }, warnings: split.warnings }
}

/**
 * Writes the pair (or the single migration of a backward compatible change) and returns the
 * paths written, expand first. The refusals are `writeMigration`'s, checked on the whole change.
 *
 * @throws StrataError `NOTHING_TO_WRITE`, `DESTRUCTIVE_REFUSED`, `MISSING_FILL_VALUE`, `MIGRATION_EXISTS`
 */
export const writeExpandContract = async (project: StrataProject, planned: ExpandContractPlan, options: WriteMigrationOptions = {}): Promise<string[]> => {
	if (!planned.pair) return [await writeMigration(project, planned.plan, options)]
	refuseUnwritable(planned.plan, options)
	const expand = await writeMigrationFile(project.migrationsDir, planned.pair.expand.fileName, planned.pair.expand.content)
	return [expand, await writeMigrationFile(project.migrationsDir, planned.pair.contract.fileName, planned.pair.contract.content)]
}
