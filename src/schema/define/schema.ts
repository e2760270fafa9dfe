/**
 * `defineSchema({ entities, enums?, acl?, … })` turns entity and enum definitions into a full
 * Contember Schema JSON. Enums used by columns are included automatically. The result is
 * plain data; the loader validates it (structure and semantics) and reports every problem.
 */
import { StrataError } from '../../errors.js'
import type { AclSchema, ActionsSchema, Entity, Schema, SettingsSchema, ValidationSchema } from '../model.js'
import { own, setOwn } from '../model.js'
import { type EnumDefinition, isEnumDefinition } from './columns.js'
import { type EntityDefinition, isEntityDefinition } from './entity.js'

/** A list of definitions, or a module namespace / object whose values include definitions. */
export type Definitions<T> = readonly T[] | { readonly [key: string]: unknown }

export interface SchemaInput {
	readonly entities: Definitions<EntityDefinition>
	readonly enums?: Definitions<EnumDefinition>
	readonly acl?: AclSchema
	readonly validation?: ValidationSchema
	readonly actions?: ActionsSchema
	readonly settings?: SettingsSchema
}

/**
 * A list must hold only definitions of the kind (anything else is a mistake worth an error); an
 * object such as a module namespace may hold other exports, which are skipped.
 */
const collect = <T>(input: Definitions<unknown> | undefined, is: (value: unknown) => value is T, what: string, strict = true): T[] => {
	if (!Array.isArray(input)) return Object.values(input ?? {}).filter(is)
	const bad = strict ? input.findIndex(item => !is(item)) : -1
	if (bad >= 0) {
		throw new StrataError('DSL_INVALID_DEFINITION', `defineSchema: item ${bad} of the ${what} list is not ${what === 'entities' ? 'an entity()' : 'a defineEnum()'} definition`)
	}
	return input.filter(is)
}

export const defineSchema = (input: SchemaInput): Schema => {
	const enums: Record<string, readonly string[]> = {}
	const addEnum = (definition: EnumDefinition, usedBy?: string) => {
		const existing = own(enums, definition.name)
		if (existing && existing.join('\u0000') !== definition.values.join('\u0000')) {
			throw new StrataError('DSL_ENUM_CONFLICT',
				`enum ${definition.name} is defined twice with different values${usedBy ? ` (again by ${usedBy})` : ''}: [${existing.join(', ')}] and [${definition.values.join(', ')}]`)
		}
		setOwn(enums, definition.name, [...definition.values])
	}
	for (const definition of collect(input.enums, isEnumDefinition, 'enums')) addEnum(definition)
	// a module namespace passed as `entities` may hold enums too
	if (!Array.isArray(input.entities)) for (const definition of collect(input.entities, isEnumDefinition, 'enums')) addEnum(definition)

	const entities: Record<string, Entity> = {}
	for (const definition of collect(input.entities, isEntityDefinition, 'entities')) {
		if (own(entities, definition.name)) throw new StrataError('DSL_DUPLICATE_ENTITY', `entity ${definition.name} is defined twice`)
		const built = definition.build()
		setOwn(entities, definition.name, built.entity)
		for (const enumeration of built.enums) addEnum(enumeration, `a column of ${definition.name}`)
	}

	return {
		model: { enums, entities },
		acl: input.acl ?? { roles: {} },
		validation: input.validation ?? {},
		actions: input.actions ?? { triggers: {}, targets: {} },
		settings: input.settings ?? {},
	}
}
