/**
 * `defineSchema({ entities, enums?, acl?, … })` turns entity and enum definitions into a full
 * Contember Schema JSON. Enums used by columns are included automatically. The result is
 * plain data; the loader validates it (structure and semantics) and reports every problem.
 */
import { StrataError } from '../../errors.js'
import type { AclSchema, ActionsSchema, Entity, Schema, SettingsSchema, ValidationSchema } from '../model.js'
import { EnumDefinition } from './columns.js'
import { EntityDefinition } from './entity.js'

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

const collect = <T>(input: Definitions<unknown> | undefined, type: abstract new (...args: never[]) => T): T[] =>
	(Array.isArray(input) ? input : Object.values(input ?? {})).filter((it): it is T => it instanceof type)

export const defineSchema = (input: SchemaInput): Schema => {
	const enums: Record<string, readonly string[]> = {}
	const addEnum = (definition: EnumDefinition, usedBy?: string) => {
		const existing = enums[definition.name]
		if (existing && existing.join('\u0000') !== definition.values.join('\u0000')) {
			throw new StrataError('DSL_ENUM_CONFLICT',
				`enum ${definition.name} is defined twice with different values${usedBy ? ` (again by ${usedBy})` : ''}: [${existing.join(', ')}] and [${definition.values.join(', ')}]`)
		}
		enums[definition.name] = [...definition.values]
	}
	for (const definition of collect(input.enums, EnumDefinition)) addEnum(definition)
	// a module namespace passed as `entities` may hold enums too
	if (!Array.isArray(input.entities)) for (const definition of collect(input.entities, EnumDefinition)) addEnum(definition)

	const entities: Record<string, Entity> = {}
	for (const definition of collect(input.entities, EntityDefinition)) {
		if (entities[definition.name]) throw new StrataError('DSL_DUPLICATE_ENTITY', `entity ${definition.name} is defined twice`)
		const built = definition.build()
		entities[definition.name] = built.entity
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
