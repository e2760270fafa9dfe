/**
 * The terminal implementations of the rename and fill-value questions (@inquirer/prompts).
 * Only the CLI uses this file; diffSchemas itself stays pure and takes answers as data.
 * Ctrl-C makes inquirer reject with ExitPromptError, which the command turns into "nothing written".
 */
import { input, select } from '@inquirer/prompts'
import { conversionExpressionProblem } from '../migrations/conversionExpression.js'
import type { Schema } from '../schema/model.js'
import { isColumn, own } from '../schema/model.js'
import { typedFillValue } from './answers.js'
import { copyCandidates, type FillAnswer, type MissingFill } from './fills.js'
import type { RenameCandidate, RenameResolver } from './renames.js'

export const promptRenameResolver = (): RenameResolver => ({
	resolve: async candidate => {
		const subject = candidate.kind === 'entity' ? `Entity ${candidate.from}` : `Field ${candidate.entityName}.${candidate.from}`
		const where = (name: string) => (candidate.kind === 'entity' ? name : `${candidate.entityName}.${name}`)
		const answer = await select<string>({
			message: `${subject} is gone and ${candidate.to.map(where).join(' / ')} is new. Was it renamed?`,
			choices: [
				...candidate.to.map(to => ({ name: `Renamed to ${where(to)} (keep the data)`, value: to })),
				{ name: `No: drop ${where(candidate.from)} and create ${candidate.to.length === 1 ? where(candidate.to[0]!) : 'the new one'} (its data is lost)`, value: '\u0000drop' },
			],
		})
		return answer === '\u0000drop' ? null : answer
	},
})

/** asks how to fill one column; undefined = leave it (the migration may fail on a non-empty table) */
export const promptFill = async (missing: MissingFill, updated: Schema): Promise<FillAnswer | undefined> => {
	const field = missing.field
	// only fields whose type PostgreSQL converts into this one (copying a uuid into an integer fails on the first row)
	const copySources = copyCandidates(missing, updated)
	const how = await select<'value' | 'copy' | 'skip'>({
		message: `${missing.message}. How should they be filled?`,
		choices: [
			{ name: 'With a value', value: 'value' },
			...(copySources.length > 0 ? [{ name: 'Copy from another field of the same row', value: 'copy' as const }] : []),
			{ name: 'Leave it (the migration fails if the table has rows)', value: 'skip' },
		],
	})
	if (how === 'skip') return undefined
	if (how === 'copy') {
		const copy = await select<string>({ message: `Copy ${missing.key} from`, choices: copySources.map(it => ({ name: it.name, value: it.name })) })
		return { copy }
	}
	if (isColumn(field) && !field.list) {
		if (field.type === 'Enum') {
			const values = own(updated.model.enums, field.columnType) ?? []
			return { value: await select<string>({ message: `Value for ${missing.key}`, choices: values.map(it => ({ name: it, value: it })) }) }
		}
		if (field.type === 'Bool') {
			return { value: await select<boolean>({ message: `Value for ${missing.key}`, choices: [{ name: 'true', value: true }, { name: 'false', value: false }] }) }
		}
	}
	const hint = isColumn(field) ? (field.list ? 'a JSON array' : field.type === 'Json' ? 'JSON' : field.type) : 'a value'
	const text = await input({
		message: `Value for ${missing.key} (${hint})`,
		validate: value => {
			try {
				typedFillValue(missing, value)
				return true
			} catch (error) {
				return (error as Error).message
			}
		},
	})
	return { value: typedFillValue(missing, text) }
}

export type { RenameCandidate }

/**
 * The conversion of a type change PostgreSQL cannot cast, or undefined when the user leaves it
 * (the diff is then refused, naming the way around).
 */
export const promptConversion = async (retype: { readonly field: string; readonly from: string; readonly to: string }): Promise<string | undefined> => {
	const text = await input({
		message: `PostgreSQL has no cast from ${retype.from} to ${retype.to} for ${retype.field}. SQL expression computing the new value from the old row (empty: stop)`,
		validate: value => (value.trim() === '' ? true : (conversionExpressionProblem(value.trim()) ?? true)),
	})
	return text.trim() === '' ? undefined : text.trim()
}
