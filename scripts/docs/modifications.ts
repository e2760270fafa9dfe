/**
 * docs/modifications.md: the hand-written prose of scripts/docs/modifications-prose.md, with one
 * section per modification generated from its module's docs metadata and data schema.
 */
import { readFileSync } from 'node:fs'
import { modificationHandlers, modificationIds, type ModificationId } from '../../src/modifications/registry.js'
import { modificationCategories, type ModificationCategory } from '../../src/modifications/types.js'
import { code, document, generatedBanner, table } from './markdown.js'

interface JsonSchema {
	readonly type?: string | readonly string[]
	readonly enum?: readonly unknown[]
	readonly const?: unknown
	readonly items?: JsonSchema
	readonly $ref?: string
	readonly oneOf?: readonly JsonSchema[]
	readonly anyOf?: readonly JsonSchema[]
	readonly properties?: Readonly<Record<string, JsonSchema>>
	readonly required?: readonly string[]
	readonly description?: string
}

/** a short type for a table cell: `string`, `string[]`, `"a" | "b"`, `object` */
export const schemaType = (schema: JsonSchema): string => {
	if (schema.const !== undefined) return JSON.stringify(schema.const)
	if (schema.enum) return schema.enum.map(value => JSON.stringify(value)).join(' | ')
	const variants = schema.oneOf ?? schema.anyOf
	if (variants) return [...new Set(variants.map(schemaType))].join(' or ')
	if (schema.$ref) return schema.$ref.split('/').pop() ?? 'object'
	if (schema.type === 'array') return `${schema.items ? schemaType(schema.items) : 'any'}[]`
	if (Array.isArray(schema.type)) return schema.type.join(' or ')
	return (schema.type as string | undefined) ?? 'any'
}

/** the fields of a data schema: name, type, whether required (a field required in only some branches says so) */
const fieldRows = (schema: JsonSchema): string[][] => {
	const branches = schema.oneOf ?? schema.anyOf
	return Object.entries(schema.properties ?? {}).map(([name, property]) => {
		const required = schema.required?.includes(name)
			? 'yes'
			: branches?.some(branch => branch.required?.includes(name)) ? 'in one form' : 'no'
		return [code(name), code(schemaType(property)), required]
	})
}

/** one line when it is short, else indented */
const exampleJson = (value: object): string => {
	const line = JSON.stringify(value)
	return line.length <= 100 ? line : JSON.stringify(value, null, '\t')
}

const section = (id: ModificationId): string => {
	const handler = modificationHandlers[id]
	const { docs } = handler
	const rows = fieldRows(handler.dataSchema as JsonSchema)
	const facts = [
		docs.apply ? `- **apply**: ${docs.apply}` : '',
		`- **sql**: ${docs.sql}`,
		`- **destructive**: ${docs.destructive === false ? 'no' : `yes, ${docs.destructive}`}`,
		`- **warnings**: ${docs.warnings.length === 0 ? 'none' : docs.warnings.map(warning => `[${warning}](errors.md#warning-codes)`).join(', ')}`,
		`- **format**: ${docs.origin === 'contember' ? 'Contember' : 'strata\'s extension (Contember refuses the file)'}; ${docs.writtenByDiff ? 'written by `migrations:diff`' : 'written by hand only'}`,
	].filter(Boolean).join('\n')
	return document([
		`### ${id}`,
		docs.summary,
		rows.length === 0 ? 'Data: none (`{}`).' : table(['data', 'type', 'required'], rows),
		facts,
		`\`\`\`json\n${exampleJson({ modification: id, ...docs.example })}\n\`\`\``,
	]).trim()
}

export const generateModificationsDoc = (prose: string = readFileSync(new URL('./modifications-prose.md', import.meta.url), 'utf8')): string => {
	const byCategory = (category: ModificationCategory) => modificationIds.filter(id => modificationHandlers[id].docs.category === category)
	const sections = (Object.keys(modificationCategories) as ModificationCategory[])
		.filter(category => byCategory(category).length > 0)
		.map(category => document([`## ${modificationCategories[category]}`, ...byCategory(category).map(section)]).trim())
	const origins = modificationIds.map(id => modificationHandlers[id].docs.origin)
	const filled = prose
		.replace('{{contemberCount}}', String(origins.filter(origin => origin === 'contember').length))
		.replace('{{strataCount}}', String(origins.filter(origin => origin === 'strata').length))
	const [before, after] = filled.split('<!-- generated: modifications -->')
	if (after === undefined) throw new Error('modifications-prose.md has no <!-- generated: modifications --> marker')
	const [title, ...rest] = before!.trim().split('\n')
	return document([title!, generatedBanner('src/modifications/**/*.ts (docs, dataSchema) and scripts/docs/modifications-prose.md'), rest.join('\n'), ...sections, after])
}
