/**
 * A declared type change PostgreSQL cannot cast (json → uuid, boolean → date, a list → a
 * number…): the migration's `ALTER … TYPE … USING "c"::new` would fail on every database,
 * empty or not, halfway through a deploy. migrations:diff refuses to write it and says what to
 * do instead. The cast facts are lint's (src/lint/castable.ts, rule L005).
 */
import { StrataError } from '../errors.js'
import { castability } from '../lint/castable.js'
import { columnRetypes } from '../lint/retypes.js'
import type { ColumnRetype } from '../lint/rule.js'
import type { Modification } from '../modifications/types.js'
import type { Schema } from '../schema/model.js'

/** the re-typed columns of `modifications` (applied to `schemaBefore`) whose old type has no cast to the new one */
export const uncastableTypeChanges = (schemaBefore: Schema, modifications: readonly Modification[], formatVersion: number): ColumnRetype[] =>
	[...columnRetypes(schemaBefore, { formatVersion, modifications }).values()].filter(it => it.conversion === undefined && castability(it.from, it.to) === 'uncastable')

/** throws UNCASTABLE_TYPE_CHANGE naming each field, its types and the way around */
export const refuseUncastableTypeChanges = (schemaBefore: Schema, modifications: readonly Modification[], formatVersion: number, options: { readonly asksInTerminal?: boolean } = {}): void => {
	const found = uncastableTypeChanges(schemaBefore, modifications, formatVersion)
	if (found.length === 0) return
	throw new StrataError(
		'UNCASTABLE_TYPE_CHANGE',
		`Not written: PostgreSQL has no cast for ${found.length === 1 ? 'this type change' : 'these type changes'}, so the migration would fail on every database:\n` +
			found.map(it => `  - ${it.field}: ${it.from} → ${it.to}`).join('\n') +
			`\nGive the conversion yourself, an SQL expression computing the new value from the old row: ${found.map(it => `--using ${it.field}='<expression>'`).join(' ')} ` +
			`${options.asksInTerminal === false ? '' : '(or answer in a terminal). '}It becomes the type change's USING (…), a strata extension Contember cannot run. ` +
			'Or change it in steps: declare a new field of the new type next to the old one and diff; fill it with a conversion you write ' +
			'(UPDATE … SET new = <expression of old>, in the application or by hand); then remove the old field (and rename the new one) and diff again. ' +
			'See docs/diff.md, "Type changes PostgreSQL cannot cast" (lint rule L005).',
	)
}
