/**
 * `schemaToTypeScript(schema)`: a schema as a module in strata's definition DSL, the way a person
 * would write it: `defineEnum` constants, one `entity()` (or `view()`) a table in the schema's
 * order, modifiers only where a field differs from the defaults, the non-model parts as data.
 *
 * The generator builds every definition with the DSL while it writes it and compares the result
 * with the schema, so the module always declares exactly that schema: what the DSL cannot
 * express is set by a commented post-processing step at the end (overrides.ts), never dropped.
 */
import { canonicalJson } from '../compare.js'
import { defineEnum, type EnumDefinition } from '../define/columns.js'
import type { EntityDefinition } from '../define/entity.js'
import { defineSchema, type SchemaInput } from '../define/schema.js'
import { emptySchema, type JsonValue, type Schema } from '../model.js'
import { data, type Emitted, emitted, type Imports } from './emitted.js'
import { entityDeclaration } from './entity.js'
import type { FieldContext } from './fields.js'
import { codeList, IdentifierScope, literal, stringLiteral } from './literal.js'
import { overridesBetween, overridesSection } from './overrides.js'

/** the non-model parts, each written as a typed constant when it is not empty */
const PARTS = [
	['acl', 'AclSchema'],
	['validation', 'ValidationSchema'],
	['actions', 'ActionsSchema'],
	['settings', 'SettingsSchema'],
] as const

/** what the generated module imports or declares besides the schema's own names */
const MODULE_NAMES = [
	'column', 'defineEnum', 'defineSchema', 'entity', 'view', 'manyHasOne', 'oneHasMany', 'oneHasOne', 'oneHasOneInverse',
	'manyHasMany', 'manyHasManyInverse', 'Schema', 'Override', 'overrides', 'withOverrides', 'defined', 'Object', 'structuredClone',
	...PARTS.flat(),
]

const HEADER = `/**
 * The declared schema. strata wrote it from a schema it had not declared itself (schema:export,
 * db:introspect); it is yours to edit now: \`strata migrations:diff <name>\` compares it with the
 * schema the migrations build and writes the difference as a new migration.
 */`

const importStatement = (imports: Imports, types: readonly string[]): string => {
	const names = [...[...imports].sort(), ...[...types].sort().map(type => `type ${type}`)]
	const inline = `import { ${names.join(', ')} } from 'strata/schema'`
	return inline.length <= 100 ? inline : `import {\n${names.map(name => `\t${name},`).join('\n')}\n} from 'strata/schema'`
}

export const schemaToTypeScript = (schema: Schema): string => {
	const imports: Imports = new Set()
	const types: string[] = []
	const scope = new IdentifierScope(MODULE_NAMES)

	const enums = new Map<string, Emitted<EnumDefinition>>()
	for (const [name, values] of Object.entries(schema.model.enums)) {
		enums.set(name, emitted(scope.claim(name, 'Enum'), defineEnum(name, values)))
	}
	const usedEnums = new Set<string>()

	const entityNames = Object.keys(schema.model.entities)
	const identifiers = new Map(entityNames.map(name => [name, scope.claim(name, 'Entity')]))
	const positions = new Map(entityNames.map((name, index) => [name, index]))
	let writing = 0
	const context: FieldContext = {
		imports,
		// an entity declared at or after the one being written is not initialised yet: a thunk defers the lookup
		entityRef: name => {
			const identifier = identifiers.get(name)
			if (identifier === undefined) return data(name)
			return emitted(positions.get(name)! >= writing ? `() => ${identifier}` : identifier, name)
		},
		enumRef: name => {
			if (enums.has(name)) usedEnums.add(name)
			return enums.get(name)
		},
	}
	const declarations: Emitted<EntityDefinition>[] = entityNames.map((name, index) => {
		writing = index
		return entityDeclaration(context, schema.model.entities[name]!, identifiers.get(name)!)
	})

	const sections: string[] = []
	if (enums.size > 0) {
		imports.add('defineEnum')
		sections.push([...enums].map(([name, { code, value }]) => `export const ${code} = defineEnum(${stringLiteral(name)}, ${literal([...value.values], 0)})`).join('\n'))
	}
	sections.push(...declarations.map(declaration => declaration.code))

	const input: Record<string, unknown> = { entities: declarations.map(declaration => declaration.value) }
	const inputCode: [string, string][] = [['entities', codeList(declarations.map((_, index) => identifiers.get(entityNames[index]!)!), 1)]]
	// enums a column uses are added by defineSchema itself
	const unusedEnums = [...enums].filter(([name]) => !usedEnums.has(name))
	if (unusedEnums.length > 0) {
		input.enums = unusedEnums.map(([, enumeration]) => enumeration.value)
		inputCode.push(['enums', codeList(unusedEnums.map(([, enumeration]) => enumeration.code), 1)])
	}
	const parts: string[] = []
	for (const [part, type] of PARTS) {
		if (canonicalJson(schema[part]) === canonicalJson(emptySchema[part])) continue
		types.push(type)
		parts.push(`const ${part}: ${type} = ${literal(schema[part] as JsonValue, 0)}`)
		input[part] = schema[part]
		inputCode.push([part, part])
	}
	if (parts.length > 0) sections.push(parts.join('\n\n'))

	imports.add('defineSchema')
	const call = `defineSchema({\n${inputCode.map(([key, code]) => (key === code ? `\t${key},` : `\t${key}: ${code},`)).join('\n')}\n})`
	const overrides = overridesBetween(schema, defineSchema(input as unknown as SchemaInput))
	if (overrides.length === 0) sections.push(`export default ${call}`)
	else {
		types.push('Schema')
		sections.push(`const defined = ${call}`, overridesSection('defined', overrides))
	}
	return `${HEADER}\n${importStatement(imports, types)}\n\n${sections.join('\n\n')}\n`
}
