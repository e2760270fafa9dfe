/**
 * Classifies a column type change for `describe`: a *widening* keeps every value (int → bigint,
 * varchar(10) → text, scalar → list), a *narrowing* can fail the cast or lose information
 * (text → integer, numeric(20, 9) → numeric(10, 2), timestamptz → date, list → scalar).
 * Unknown pairs are narrowing: strata would rather ask once too often than lose data silently.
 */
import type { ColumnDefinition } from '../../schema/model.js'

export type TypeChange =
	| { readonly kind: 'none' }
	| { readonly kind: 'widening' }
	| { readonly kind: 'narrowing'; readonly reason: string }

type Scalar = Pick<ColumnDefinition, 'type' | 'columnType'>

const none: TypeChange = { kind: 'none' }
const widening: TypeChange = { kind: 'widening' }
const narrowing = (reason: string): TypeChange => ({ kind: 'narrowing', reason })

const normalise = (columnType: string) => columnType.toLowerCase().replace(/\s+/g, '')

/** decimal digits an integer type can hold left of the point */
const integerDigits: Record<string, number> = { smallint: 5, int2: 5, integer: 10, int: 10, int4: 10, bigint: 19, int8: 19 }

/** `numeric(p, s)` → { precision, scale }; plain `numeric` / `decimal` → unbounded */
const numericShape = (columnType: string): { precision: number; scale: number } | 'unbounded' | undefined => {
	const match = /^(?:numeric|decimal)(?:\((\d+)(?:,(\d+))?\))?$/.exec(normalise(columnType))
	if (!match) return undefined
	if (match[1] === undefined) return 'unbounded'
	return { precision: Number(match[1]), scale: Number(match[2] ?? 0) }
}

/** `varchar(n)` / `character varying(n)` / `char(n)` → n; `text` / `varchar` → unbounded */
const textLength = (columnType: string): number | 'unbounded' | undefined => {
	const type = normalise(columnType)
	if (type === 'text' || type === 'varchar' || type === 'charactervarying' || type === 'citext') return 'unbounded'
	const match = /^(?:varchar|charactervarying|char|character|bpchar)\((\d+)\)$/.exec(type)
	return match ? Number(match[1]) : undefined
}

const isFloat = (columnType: string) => ['doubleprecision', 'float8', 'float', 'real', 'float4'].includes(normalise(columnType))
const isTimestamp = (columnType: string) => /^timestamp(tz)?(\(\d+\))?(with(out)?timezone)?$/.test(normalise(columnType))

const toText = (before: Scalar, after: Scalar): TypeChange => {
	const length = textLength(after.columnType)
	if (length === 'unbounded') return widening // every PostgreSQL value has a text form
	const previous = before.type === 'String' ? textLength(before.columnType) : undefined
	if (length !== undefined && typeof previous === 'number' && previous <= length) return widening
	return narrowing(`values longer than ${length ?? 'the new length'} characters are cut off by the cast to ${after.columnType}`)
}

const toNumber = (before: Scalar, after: Scalar): TypeChange => {
	const from = normalise(before.columnType)
	const to = normalise(after.columnType)
	const fromDigits = integerDigits[from]
	const toDigits = integerDigits[to]
	if (fromDigits !== undefined && toDigits !== undefined) {
		return toDigits >= fromDigits ? widening : narrowing(`${before.columnType} values outside the range of ${after.columnType} make the cast fail`)
	}
	const target = numericShape(after.columnType)
	if (target === 'unbounded' && (fromDigits !== undefined || isFloat(from) || numericShape(from) !== undefined)) return widening
	if (target !== undefined && target !== 'unbounded') {
		const source = numericShape(from)
		const fits = fromDigits !== undefined
			? target.precision - target.scale >= fromDigits
			: source !== undefined && source !== 'unbounded' && target.precision - target.scale >= source.precision - source.scale && target.scale >= source.scale
		if (fits) return widening
		return narrowing(`${before.columnType} values are rounded or overflow ${after.columnType}`)
	}
	if (isFloat(to) && fromDigits !== undefined && fromDigits <= 10) return widening // 32-bit integers are exact in double precision
	return narrowing(`casting ${before.columnType} to ${after.columnType} rounds values or fails for values out of range`)
}

const scalarChange = (before: Scalar, after: Scalar): TypeChange => {
	if (before.type === after.type && normalise(before.columnType) === normalise(after.columnType)) return none
	if (after.type === 'String') return toText(before, after)
	if (before.type === 'String') {
		return narrowing(`text values that are not valid ${after.type === 'Enum' ? `values of enum ${after.columnType}` : after.columnType} make the cast fail`)
	}
	if (after.type === 'Enum') return narrowing(`values that are not in enum ${after.columnType} fail its check`)
	if (['Integer', 'Double', 'Numeric'].includes(after.type) && ['Integer', 'Double', 'Numeric'].includes(before.type)) return toNumber(before, after)
	if (after.type === 'DateTime' && before.type === 'Date') return widening
	if (after.type === 'DateTime' && before.type === 'DateTime' && isTimestamp(before.columnType) && isTimestamp(after.columnType)) {
		return normalise(after.columnType).includes('(') ? narrowing(`${after.columnType} rounds the fractional seconds`) : widening
	}
	if (after.type === 'Date' && before.type === 'DateTime') return narrowing('the time of day is lost')
	return narrowing(`casting ${before.columnType} to ${after.columnType} can fail or lose information`)
}

export const classifyTypeChange = (before: ColumnDefinition, after: ColumnDefinition): TypeChange => {
	if (before.list && !after.list) return narrowing(`list column becomes a single ${after.columnType}: the cast cannot keep the arrays`)
	const change = scalarChange(before, after)
	if (!before.list && after.list && change.kind === 'none') return widening
	return change
}
