/**
 * The Contember column type of a live column. A type strata's model names gets it, with its
 * default SQL spelling when the column has exactly that type (`timestamp with time zone` →
 * DateTime `timestamptz`) and format_type's spelling otherwise (`character varying(80)`);
 * any other built-in type is kept as a String column of its exact SQL type (`inet`, `bytea`).
 * Types a fresh database would not have (extension, composite, range types and non-enum
 * domains) and types the model cannot spell are refused with the reason.
 */
import type { ColumnType } from '../model.js'
import type { LiveColumn } from './input.js'

export type MappedType =
	| { readonly ok: true; readonly type: ColumnType; readonly columnType: string; readonly list: boolean }
	| { readonly ok: false; readonly reason: string }

/** format_type spelling → Contember type and the spelling Contember uses for its default */
const KNOWN: Record<string, { type: ColumnType; columnType: string }> = {
	uuid: { type: 'Uuid', columnType: 'uuid' },
	text: { type: 'String', columnType: 'text' },
	integer: { type: 'Integer', columnType: 'integer' },
	bigint: { type: 'Integer', columnType: 'bigint' },
	smallint: { type: 'Integer', columnType: 'smallint' },
	'double precision': { type: 'Double', columnType: 'double precision' },
	real: { type: 'Double', columnType: 'real' },
	boolean: { type: 'Bool', columnType: 'boolean' },
	'timestamp with time zone': { type: 'DateTime', columnType: 'timestamptz' },
	'timestamp without time zone': { type: 'DateTime', columnType: 'timestamp' },
	date: { type: 'Date', columnType: 'date' },
	'time without time zone': { type: 'Time', columnType: 'time' },
	'time with time zone': { type: 'Time', columnType: 'timetz' },
	jsonb: { type: 'Json', columnType: 'jsonb' },
	json: { type: 'Json', columnType: 'json' },
}

/** types with a modifier: `numeric(10,2)`, `character varying(80)`, `timestamp(3) with time zone` */
const MODIFIED: readonly [RegExp, ColumnType][] = [
	[/^numeric(\(\d+(,\d+)?\))?$/, 'Numeric'],
	[/^(character varying|character|bit varying|bit)(\(\d+\))?$/, 'String'],
	[/^timestamp\(\d\) with(out)? time zone$/, 'DateTime'],
	[/^time\(\d\) with(out)? time zone$/, 'Time'],
]

/** what validation accepts as a column type (src/schema/validation/model.ts), checked here to refuse early */
const SPELLABLE = /^\w+(\(\w+(,\w+)*\))?\w*(\[\])*$/

/** the model's type for a column; `enumName` when its type is an enum (domain or native) the mapping knows */
export const mapColumnType = (column: LiveColumn, enumName: string | undefined): MappedType => {
	const list = column.isArray
	if (enumName !== undefined) return { ok: true, type: 'Enum', columnType: enumName, list }
	if (column.typeKind === 'd') return { ok: false, reason: `its type is the domain "${column.typeName}", which is not an enum (a text domain with CHECK (VALUE IN (…))); the model has no other domains` }
	if (column.typeKind === 'e') return { ok: false, reason: `its enum type "${column.typeName}" cannot be declared (see the enum's own entry)` }
	if (column.typeKind !== 'b') return { ok: false, reason: `its type ${column.formattedType} is a ${({ c: 'composite', r: 'range', m: 'multirange', p: 'pseudo' } as Record<string, string>)[column.typeKind] ?? 'user-defined'} type, which the model cannot declare` }
	if (column.typeSchema !== 'pg_catalog') return { ok: false, reason: `its type ${column.formattedType} comes from the schema ${column.typeSchema} (an extension or a user type), which a database built from the migrations would not have` }
	const spelled = column.elementType.replace(/\s*,\s*/g, ',')
	const known = KNOWN[spelled]
	if (known) return { ok: true, ...known, list }
	const modified = MODIFIED.find(([pattern]) => pattern.test(spelled))
	if (modified) return { ok: true, type: modified[1], columnType: spelled, list }
	if (!SPELLABLE.test(spelled.replace(/\s+/g, ''))) return { ok: false, reason: `its type ${column.formattedType} cannot be written as a column type` }
	// inet, bytea, tsvector, interval, …: no Contember type of their own, kept with their exact SQL type
	return { ok: true, type: 'String', columnType: spelled, list }
}
