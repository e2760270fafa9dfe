/**
 * Enums: a text domain whose only CHECK is `VALUE IN (…)` (what strata and Contember create)
 * and a native enum type (CREATE TYPE … AS ENUM) both become an enum of the same name, so the
 * columns using them become Enum columns. strata creates enums as domains: a database built
 * from the migrations gets a domain where the adopted one has a native type. Other domains,
 * and enums whose name or values are not identifiers, cannot be declared.
 */
import { IDENTIFIER, MAX_IDENTIFIER_BYTES } from '../validation/codes.js'
import type { Draft } from './draft.js'

const RESERVED_VALUES = new Set(['and', 'or', 'not'])

const whyNot = (name: string, values: readonly string[]): string | undefined => {
	if (!IDENTIFIER.test(name) || Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) return `its name is not an identifier the model accepts (^[_a-zA-Z][_a-zA-Z0-9]*$, at most ${MAX_IDENTIFIER_BYTES} bytes)`
	if (values.length === 0) return 'it has no values'
	const bad = values.find(value => !IDENTIFIER.test(value) || RESERVED_VALUES.has(value))
	if (bad !== undefined) return `its value ${JSON.stringify(bad)} is not an identifier (or is and/or/not), which enum values must be`
	if (new Set(values).size !== values.length) return 'it lists a value twice'
	return undefined
}

export const mapEnums = (draft: Draft): void => {
	const add = (name: string, values: readonly string[], kind: 'domain' | 'enum', what: string) => {
		const reason = whyNot(name, values)
		if (reason !== undefined) {
			draft.unrepresentable.push({ kind, name, reason: `the ${what} cannot be an enum: ${reason}` })
			return
		}
		draft.enums[name] = [...values]
		draft.enumOfType.set(name, name)
	}
	for (const domain of draft.db.domains) {
		if (domain.enumValues) add(domain.name, domain.enumValues, 'domain', 'enum domain')
		else {
			draft.unrepresentable.push({
				kind: 'domain', name: domain.name,
				reason: `a domain over ${domain.baseType}${domain.checks.length > 0 ? ` with ${domain.checks.join(' AND ')}` : ''}: the model's only domains are enums (text with one CHECK (VALUE IN (…)))`,
			})
		}
	}
	for (const native of draft.db.nativeEnums) add(native.name, native.values, 'enum', 'native enum type')
}
